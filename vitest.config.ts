import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const react18 = fileURLToPath(new URL('./packages/react/react18/node_modules', import.meta.url));

/**
 * One Vitest run for the whole repo. `scripts/vitest-setup.ts` starts the project's Gradio server
 * (version from GRADIO_VERSION) unless GRADIO_URL points at a running one.
 */
export default defineConfig({
  test: {
    globalSetup: ['./scripts/vitest-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'client',
          environment: 'node',
          include: ['packages/client/src/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'react',
          environment: 'jsdom',
          include: ['packages/react/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.ssr.test.tsx'],
          typecheck: { enabled: true, include: ['packages/react/src/**/*.test-d.{ts,tsx}'], tsconfig: 'packages/react/tsconfig.test.json' },
        },
      },
      {
        // The same hook tests against React 18 (the packages' peer range is ^18 || ^19): react,
        // react-dom, TanStack Query and Testing Library come from packages/react/react18.
        extends: true,
        resolve: {
          alias: Object.fromEntries(
            ['react', 'react-dom', '@tanstack/react-query', '@testing-library/react'].map((name) => [name, `${react18}/${name}`]),
          ),
        },
        test: {
          name: 'react18',
          env: { EXPECTED_REACT_MAJOR: '18' },
          environment: 'jsdom',
          include: ['packages/react/src/**/*.test.tsx'],
          exclude: ['**/*.ssr.test.tsx'],
        },
      },
      {
        extends: true,
        test: {
          name: 'react-ssr',
          environment: 'node',
          include: ['packages/react/src/**/*.ssr.test.tsx'],
        },
      },
    ],
  },
});
