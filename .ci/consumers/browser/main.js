// Browser consumer: bundled by esbuild for platform "browser", loaded in Chromium.
// The page reads the Gradio URL from `?gradio=` and reports on window.__result; it also runs the
// client in a Web Worker (worker.js).
import { ArgumentError, Client, handleFile } from '@gradio-hooks/client';

const out = document.getElementById('out');
const url = new URL(location.href).searchParams.get('gradio');

const inWorker = () =>
  new Promise((resolve) => {
    const worker = new Worker('./worker.bundle.js', { type: 'module' });
    worker.onmessage = ({ data }) => {
      worker.terminate();
      resolve(data);
    };
    worker.onerror = (e) => resolve({ error: e.message });
    worker.postMessage(url);
  });

window.__result = (async () => {
  // a token: every request then carries X-HF-Authorization, so this page (another origin than the
  // server) also proves that the server's CORS preflight lets it through
  const client = await Client.connect(url, { token: 'hf_consumer_check' });
  try {
    const [sum] = await client.predict('/calculate', { a: 20, b: 4, operation: 'divide' });
    // a local path has no meaning in a browser: a typed error that says so, and nothing sent
    const path = await client.predict('/echo_file', [handleFile('/etc/hosts')]).catch((e) => e);
    const refused = path instanceof ArgumentError && /local paths can only be read in Node/.test(path.message);
    const worker = await inWorker();
    out.textContent = `browser: /calculate 20/4 = ${sum}; a local path: ${path}; Web Worker: /count streamed ${JSON.stringify(worker.outputs ?? worker.error)}`;
    return { ok: sum === 5 && refused && JSON.stringify(worker.outputs) === '[1,2,3]', value: sum, error: worker.error ?? (refused ? undefined : `local path: ${path}`) };
  } finally {
    client.close();
  }
})().catch((err) => {
  out.textContent = `error: ${err}`;
  return { ok: false, error: String(err?.stack ?? err) };
});
