import { defineConfig, type Options } from 'tsup';

// ESM + CJS + matching declarations (.d.ts / .d.cts), with sourcemaps. React, TanStack Query and
// the client stay external. Two files per format, for React Server Components:
// - `hooks.js`: the provider and the hooks, a client module. esbuild drops module-level directives
//   when it bundles, so its `'use client'` is put back with a banner.
// - `index.js`: the entry, with no directive: it re-exports the client and, by name, the hooks
//   (from `./hooks.js`, left as an import). A client module may not `export *` (Next.js refuses
//   it), and server code importing the entry gets the real `Client`, not a client reference.
const shared: Options = {
  format: ['esm', 'cjs'],
  tsconfig: 'tsconfig.build.json',
  dts: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  splitting: false,
  external: ['react', 'react/jsx-runtime', 'react-dom', '@tanstack/react-query', '@gradio-hooks/client'],
};

export default defineConfig([
  {
    ...shared,
    entry: { hooks: 'src/hooks.ts' },
    clean: ['hooks.*'],
    banner: { js: "'use client';" },
    esbuildOptions(options) {
      // The hook files' own directives are expected to go: the banner restores one for the file.
      options.logOverride = { ...options.logOverride, 'module-level-directive': 'silent' };
    },
  },
  {
    ...shared,
    entry: { index: 'src/index.ts' },
    clean: ['index.*'],
    esbuildPlugins: [
      {
        name: 'hooks-stays-an-import',
        setup(build) {
          const file = build.initialOptions.format === 'cjs' ? './hooks.cjs' : './hooks.js';
          build.onResolve({ filter: /^\.\/hooks\.js$/ }, () => ({ path: file, external: true }));
        },
      },
    ],
  },
]);
