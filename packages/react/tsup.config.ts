import { defineConfig } from 'tsup';

// ESM + CJS + matching declarations (.d.ts / .d.cts), with sourcemaps. React, TanStack Query and
// the client stay external. esbuild drops module-level directives when it bundles, so the
// `'use client'` of the hook files is put back at the top of each built entry with a banner.
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
  external: ['react', 'react/jsx-runtime', 'react-dom', '@tanstack/react-query', '@gradio-hooks/client'],
  banner: { js: "'use client';" },
  esbuildOptions(options) {
    // The hook files' own directives are expected to go: the banner restores one per entry.
    options.logOverride = { ...options.logOverride, 'module-level-directive': 'silent' };
  },
});
