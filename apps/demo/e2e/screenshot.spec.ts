// Takes docs/demo-screenshot.png: `pnpm --filter demo run screenshot` (not part of `e2e`).
import { expect, openDemo, test } from './fixtures';

test('README screenshot at 1280×800', async ({ page }) => {
  test.setTimeout(90_000);
  await openDemo(page);

  const explorer = page.getByTestId('panel-explorer');
  await explorer.getByTestId('endpoint-calculate').click();
  await explorer.getByTestId('param-a').fill('6');
  await explorer.getByTestId('param-b').fill('7');
  await explorer.getByTestId('param-operation').selectOption('multiply');
  await explorer.getByTestId('explorer-run').click();
  await expect(explorer.getByTestId('explorer-output-0')).toHaveText('42');

  const session = page.getByTestId('panel-session');
  for (let i = 0; i < 3; i++) await session.getByTestId('counter-increment').click();
  await expect(session.getByTestId('counter-value')).toHaveText('3');

  await page.getByTestId('panel-files').getByRole('button', { name: 'Use a sample' }).click();
  await expect(page.getByTestId('image-output')).toBeVisible();

  await page.getByTestId('fail-run').click();
  await expect(page.getByTestId('fail-error')).toBeVisible();

  const streaming = page.getByTestId('panel-streaming');
  await streaming.getByTestId('count-start').click();
  await streaming.getByLabel('Prompt').fill('Once upon a time');
  await streaming.getByLabel('Tokens').fill('200');

  // One job first, so Gradio has timed /slow and sends ETAs for the next ones.
  const queue = page.getByTestId('panel-queue');
  await queue.getByLabel('Jobs').fill('1');
  await queue.getByLabel('Seconds each').fill('4');
  await queue.getByTestId('queue-launch').click();
  await expect(queue.getByTestId('queue-row').first()).toHaveAttribute('data-status', 'success');
  await queue.getByLabel('Jobs').fill('3');
  await queue.getByLabel('Seconds each').fill('4');
  await queue.getByTestId('queue-launch').click();
  await expect(queue.getByTestId('queue-row').nth(1).getByRole('progressbar')).toBeVisible();
  await expect(queue.getByTestId('queue-row').nth(3).getByTestId('queue-position')).toHaveText(/^#2/);
  await streaming.getByTestId('chat-send').click();
  await expect(streaming.getByTestId('chat-reply-text')).toContainText('tok12');

  await page.evaluate(() => window.scrollTo(0, 0));
  await expect.poll(async () => Number(await queue.getByTestId('queue-row').nth(1).getByRole('progressbar').getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(30);
  await page.screenshot({ path: process.env.SCREENSHOT_PATH ?? '../../docs/demo-screenshot.png', fullPage: !!process.env.FULL_PAGE, animations: 'disabled' });
  if (!process.env.SCREENSHOT_PATH) {
    await page.screenshot({ path: '../../docs/screenshots/demo-full.png', fullPage: true, animations: 'disabled' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '../../docs/screenshots/demo-narrow.png', fullPage: true, animations: 'disabled' });
  }
});
