// Browser consumer: bundled by esbuild for platform "browser", loaded in Chromium.
// The page reads the Gradio URL from `?gradio=` and reports on window.__result.
import { Client } from '@gradio-hooks/client';

const out = document.getElementById('out');
const url = new URL(location.href).searchParams.get('gradio');

window.__result = (async () => {
  const client = await Client.connect(url);
  try {
    const [sum] = await client.predict('/calculate', { a: 20, b: 4, operation: 'divide' });
    out.textContent = `browser: /calculate 20/4 = ${sum}`;
    return { ok: sum === 5, value: sum };
  } finally {
    client.close();
  }
})().catch((err) => {
  out.textContent = `error: ${err}`;
  return { ok: false, error: String(err?.stack ?? err) };
});
