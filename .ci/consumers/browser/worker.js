// Runs in a dedicated Web Worker (no window, no document): streams a generator and posts its outputs.
import { Client } from '@gradio-hooks/client';

self.onmessage = async ({ data: url }) => {
  try {
    const client = await Client.connect(url);
    const outputs = [];
    for await (const [n] of client.submit('/count', { n: 3, delay: 0 })) outputs.push(n);
    client.close();
    self.postMessage({ outputs });
  } catch (err) {
    self.postMessage({ error: String(err?.stack ?? err) });
  }
};
