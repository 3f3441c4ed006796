import { defineConfig } from 'tsup';

// ESM + CJS + matching declarations (.d.ts / .d.cts), with sourcemaps. Nothing is bundled in
// but our own source: `eventsource-parser` is a dependency and stays external. The Node-only
// `import(fs)` in client.ts uses a variable specifier, so esbuild leaves it as a runtime import.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  tsconfig: 'tsconfig.build.json',
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  splitting: false,
  external: ['eventsource-parser'],
});
