// A Cloudflare Worker (run by workerd, the Workers runtime): no Node, no DOM. Each request to it
// takes the Gradio URL from ?gradio= and answers with what the client got from that app.
import { Client, handleFile } from '@gradio-hooks/client';

export default {
  async fetch(request) {
    const url = new URL(request.url).searchParams.get('gradio');
    try {
      const client = await Client.connect(url);
      const [product] = await client.predict('/calculate', { a: 6, b: 7, operation: 'multiply' });
      const counted = [];
      for await (const [n] of client.submit('/count', { n: 3, delay: 0 })) counted.push(n);
      const state = [(await client.predict('/increment', [1]))[0], (await client.predict('/increment', [2]))[0]];
      const [file] = await client.predict('/echo_file', [handleFile(new TextEncoder().encode('from a Worker'), { name: 'w.txt' })]);
      const text = await (await client.download(file)).text();
      client.close();
      return Response.json({ product, counted, state, file: [file.orig_name, text] });
    } catch (err) {
      return Response.json({ error: String(err?.stack ?? err) }, { status: 500 });
    }
  },
};
