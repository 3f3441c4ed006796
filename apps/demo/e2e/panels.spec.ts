import { expect, openDemo, savePanel, test } from './fixtures';

// A 24×16 PNG (orange/indigo halves), so the upload test needs no file on disk.
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAAH0lEQVR42mP4WSxGECWnfSSIGEYNGjVo1KBRgygzCABLKm0fNX9qjwAAAABJRU5ErkJggg==';

test.beforeEach(async ({ page }) => {
  await openDemo(page);
});

test('API explorer: calls /calculate through the generated form', async ({ page }, testInfo) => {
  const panel = page.getByTestId('panel-explorer');
  await panel.getByTestId('endpoint-calculate').click();
  await expect(panel.getByRole('heading', { name: '/calculate' })).toBeVisible();
  // The form was generated from /info: a number field "a", a number field "b", a select "operation".
  await panel.getByTestId('param-a').fill('6');
  await panel.getByTestId('param-b').fill('7');
  await panel.getByTestId('param-operation').selectOption('multiply');
  await panel.getByTestId('explorer-run').click();
  await expect(panel.getByTestId('explorer-output-0')).toHaveText('42');
  await expect(panel.getByTestId('explorer-status')).toHaveAttribute('data-status', 'success');
  await savePanel(panel, 'explorer', testInfo);

  // gr.Error of the calculator is displayed too.
  await panel.getByTestId('param-b').fill('0');
  await panel.getByTestId('param-operation').selectOption('divide');
  await panel.getByTestId('explorer-run').click();
  await expect(panel.getByTestId('explorer-error')).toContainText('Cannot divide by zero');
});

test('API explorer: a button used as an input and an output label the browser translates (gr.I18n)', async ({ page }) => {
  const panel = page.getByTestId('panel-explorer');
  await panel.getByTestId('endpoint-pressed').click();
  await expect(panel.getByRole('heading', { name: '/pressed' })).toBeVisible();
  await panel.getByTestId('param-text').fill('hi');
  await panel.getByTestId('explorer-run').click();
  await expect(panel.getByTestId('explorer-output-0')).toHaveText('Press me|hi'); // the button's label, as the browser sends it
  await expect(panel.locator('.output dt')).toContainText('pressed'); // the label's key
});

test('Live queue: three /slow jobs move up the queue and one is cancelled', async ({ page }, testInfo) => {
  const panel = page.getByTestId('panel-queue');
  await panel.getByLabel('Jobs').fill('3');
  await panel.getByLabel('Seconds each').fill('3');
  await panel.getByTestId('queue-launch').click();
  const rows = panel.getByTestId('queue-row');
  await expect(rows).toHaveCount(3);
  // The three calls join concurrently, so which one waits last is up to the network: find it.
  const running = rows.filter({ has: page.locator('[data-status="running"]') });
  const secondInLine = rows.filter({ has: page.getByTestId('queue-position').getByText(/^#2/) });
  await expect(running).toHaveCount(1);
  await expect(running.getByRole('progressbar')).toBeVisible();
  await expect(secondInLine).toHaveCount(1);
  const row = (label: string | null) => panel.locator(`[data-testid="queue-row"][data-label="${label}"]`);
  const firstLabel = await running.getAttribute('data-label');
  const lastLabel = await secondInLine.getAttribute('data-label');
  const labels = await rows.evaluateAll((all) => all.map((r) => r.getAttribute('data-label')));
  const [first, last, middle] = [row(firstLabel), row(lastLabel), row(labels.find((l) => l !== firstLabel && l !== lastLabel) ?? null)];
  await expect(middle).toHaveAttribute('data-status', 'queued');
  await savePanel(panel, 'queue-waiting', testInfo);

  // The last moves up to first in line when the running job is done.
  await expect(last.getByTestId('queue-position')).toHaveText(/^#1/);
  await expect(last.getByTestId('queue-eta')).toHaveText(/^~\d/); // Gradio has timed a call by now
  await expect(first).toHaveAttribute('data-status', 'success');
  await expect(first).toContainText('done job');

  // Cancel it while it is queued: it ends at once; the middle one still finishes.
  await last.getByRole('button', { name: /^Cancel job/ }).click();
  await expect(last).toHaveAttribute('data-status', 'cancelled');
  await expect(middle).toHaveAttribute('data-status', 'success');
  await expect(last).toHaveAttribute('data-status', 'cancelled');
  await savePanel(panel, 'queue', testInfo);
});

test('Streaming: text arrives in several steps and Stop ends it', async ({ page }, testInfo) => {
  const panel = page.getByTestId('panel-streaming');
  await panel.getByLabel('Prompt').fill('Hello');
  await panel.getByLabel('Tokens').fill('200');
  await panel.getByTestId('chat-send').click();
  const reply = panel.getByTestId('chat-reply').last();
  const text = reply.getByTestId('chat-reply-text');
  await expect(text).toContainText('tok1');
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  await expect(text).toContainText('tok3');
  // More than one update reached the UI.
  await expect.poll(async () => Number(await reply.getAttribute('data-steps'))).toBeGreaterThan(2);
  await panel.getByTestId('chat-stop').click();
  await expect(reply).toHaveAttribute('data-status', 'cancelled');
  await expect(text).not.toContainText('tok200');
  await expect(panel.getByTestId('chat-reply')).toHaveCount(1); // Stop did not send a new prompt
  await expect(panel.getByTestId('chat-send')).toBeVisible();

  // The /count generator's outputs list grows to n.
  await panel.getByLabel('n', { exact: true }).fill('5');
  await panel.getByTestId('count-start').click();
  await expect(panel.getByTestId('count-outputs').getByRole('listitem')).toHaveCount(5);
  await expect(panel.getByTestId('count-status')).toHaveAttribute('data-status', 'success');
  await savePanel(panel, 'streaming', testInfo);
});

test('Files: an uploaded image comes back transformed', async ({ page }, testInfo) => {
  const panel = page.getByTestId('panel-files');
  await panel.getByTestId('image-input').setInputFiles({ name: 'tiny.png', mimeType: 'image/png', buffer: Buffer.from(PNG_BASE64, 'base64') });
  const out = panel.getByTestId('image-output');
  await expect(out).toBeVisible();
  await expect(panel.getByTestId('files-status')).toHaveAttribute('data-status', 'success');
  // The returned image is served by Gradio and actually loads (24×16 like the input).
  await expect.poll(() => out.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(24);
  expect(await out.getAttribute('src')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*file=/);
  await savePanel(panel, 'files', testInfo);
});

test('Session state: the counter keeps state and a new session resets it', async ({ page }, testInfo) => {
  const panel = page.getByTestId('panel-session');
  const value = panel.getByTestId('counter-value');
  const increment = panel.getByTestId('counter-increment');
  await expect(value).toHaveText('0');
  await increment.click();
  await expect(value).toHaveText('1');
  await increment.click();
  await expect(value).toHaveText('2');
  await panel.getByRole('button', { name: '+5' }).click();
  await expect(value).toHaveText('7');
  const before = await panel.getByTestId('session-hash').textContent();
  await panel.getByTestId('counter-new-session').click();
  await expect(value).toHaveText('0');
  await expect(panel.getByTestId('session-hash')).not.toHaveText(before ?? '');
  await increment.click();
  await expect(value).toHaveText('1');
  await savePanel(panel, 'session', testInfo);
});

test('Errors and logs: gr.Error is shown, gr.Info and gr.Warning become toasts', async ({ page }, testInfo) => {
  const panel = page.getByTestId('panel-errors');
  await panel.getByLabel('gr.Error message').fill('<b>not html</b> boom');
  await panel.getByTestId('fail-run').click();
  const error = panel.getByTestId('fail-error');
  await expect(error).toContainText('Custom failure');
  // Server text is rendered as text, never as HTML.
  await expect(error).toContainText('<b>not html</b> boom');
  await expect(error.locator('b')).toHaveCount(0);

  await panel.getByLabel('Log message').fill('hi there');
  await panel.getByTestId('logs-run').click();
  const toasts = page.getByTestId('toast');
  await expect(toasts.filter({ hasText: 'info: hi there' })).toBeVisible();
  await expect(toasts.filter({ hasText: 'warning: hi there' })).toHaveAttribute('data-level', 'warning');
  await expect(panel.getByTestId('log-list').getByRole('listitem')).toHaveCount(2);
  await savePanel(panel, 'errors', testInfo);
});

test('Connection: a broken server shows an error and a Retry button', async ({ page }, testInfo) => {
  await page.goto('/?src=http://127.0.0.1:9/');
  const card = page.getByTestId('connection-error');
  await expect(card).toBeVisible();
  await expect(card).toContainText('Could not connect');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'error');
  await card.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('connection-error')).toBeVisible();
  await savePanel(page.locator('main'), 'connection-error', testInfo);

  // Entering the right URL in the field connects.
  const url = new URL(page.url());
  await page.getByLabel('Gradio app URL or Space id').fill(process.env.E2E_GRADIO_URL ?? `http://127.0.0.1:${process.env.E2E_GRADIO_PORT ?? 7871}`);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('panel-explorer')).toBeVisible();
  expect(url.searchParams.get('src')).toBe('http://127.0.0.1:9/');
});

test('Microphone: the fake microphone feeds one /listen call, which answers as it goes, until Stop', async ({ page }, testInfo) => {
  const panel = page.getByTestId('panel-microphone');
  const posts: string[] = [];
  page.on('request', (r) => r.method() === 'POST' && posts.push(new URL(r.url()).pathname));
  await panel.getByTestId('mic-start').click();
  const heard = panel.getByTestId('mic-heard');
  await expect(heard).toHaveText(/^\d+$/, { timeout: 10_000 });
  await expect(panel.getByTestId('mic-status')).toHaveAttribute('data-status', 'streaming');
  const first = Number(await heard.textContent());
  // later chunks go to the same call: its count grows
  await expect.poll(async () => Number(await heard.textContent()), { timeout: 10_000 }).toBeGreaterThan(first);
  await savePanel(panel, 'microphone', testInfo);
  await panel.getByTestId('mic-stop').click();
  await expect(panel.getByTestId('mic-status')).toHaveAttribute('data-status', 'success', { timeout: 10_000 });
  await expect(panel.getByTestId('mic-start')).toBeVisible();
  // one call: one join, then its input went to /stream/<event_id> and was closed
  expect(posts.filter((p) => p.endsWith('/queue/join'))).toHaveLength(1);
  expect(posts.filter((p) => /\/stream\/[^/]+$/.test(p)).length).toBeGreaterThanOrEqual(1);
  expect(posts.filter((p) => p.endsWith('/close'))).toHaveLength(1);
});
