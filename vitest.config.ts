import { defineConfig } from 'vitest/config';

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
