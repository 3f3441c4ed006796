import { defineConfig, devices } from '@playwright/test';

// Fixed ports for the e2e servers (distinct from `npm run demo`'s 7860/5173).
const GRADIO_PORT = Number(process.env.E2E_GRADIO_PORT ?? 7871);
const APP_PORT = Number(process.env.E2E_APP_PORT ?? 5174);
const GRADIO_URL = `http://127.0.0.1:${GRADIO_PORT}`;

export default defineConfig({
  testDir: './e2e',
  // The screenshot for the README is taken on demand: `pnpm --filter demo run screenshot`.
  testIgnore: process.env.DEMO_SCREENSHOT ? [] : ['**/screenshot.spec.ts'],
  outputDir: 'test-results/artifacts',
  timeout: 60_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  // One server-wide queue (/slow has concurrency_limit=1): run the tests one after the other.
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // a fake microphone (a beep) that needs no permission prompt, for the Microphone panel
      args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: [
    {
      // The project's real Gradio app (installs its virtualenv on first use).
      command: `node ../gradio-server/server.mjs --port ${GRADIO_PORT}`,
      url: `${GRADIO_URL}/config`,
      timeout: 180_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'pipe',
      // SIGTERM (not the default SIGKILL) lets server.mjs stop app.py, which runs in its own process group.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
    {
      command: `vite --port ${APP_PORT} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${APP_PORT}/`,
      timeout: 60_000,
      reuseExistingServer: !process.env.CI,
      env: { VITE_GRADIO_URL: GRADIO_URL },
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
  ],
});
