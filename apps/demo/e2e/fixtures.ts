import { expect, test as base, type Locator, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';

/** Saves a screenshot of one panel under test-results/screens/ and attaches it to the report. */
export async function savePanel(panel: Locator, name: string, testInfo: TestInfo): Promise<void> {
  mkdirSync('test-results/screens', { recursive: true });
  const path = `test-results/screens/${name}.png`;
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path, animations: 'disabled' });
  await testInfo.attach(`${name} panel`, { path, contentType: 'image/png' });
}

/** Opens the demo and waits until it is connected to the Gradio server. */
export async function openDemo(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
}

export const test = base.extend<{ errors: string[] }>({
  // Fails a test when the page throws an uncaught error.
  errors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await use(errors);
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };
