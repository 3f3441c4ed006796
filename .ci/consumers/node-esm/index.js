// Node ESM consumer: resolves the package's "import" condition (dist/index.js).
import { Client, GradioError } from '@gradio-hooks/client';

const url = process.env.GRADIO_URL;
if (!url) throw new Error('GRADIO_URL is not set');
if (typeof GradioError !== 'function') throw new Error('GradioError export missing');

const client = await Client.connect(url);
try {
  const [sum] = await client.predict('/calculate', { a: 2, b: 3, operation: 'multiply' });
  if (sum !== 6) throw new Error(`expected 6, got ${JSON.stringify(sum)}`);
  console.log(`node-esm: /calculate 2*3 = ${sum}`);
} finally {
  client.close();
}

// client.close() promises that a Node process with nothing else to do exits. If it is still
// alive 5 s later, say so and exit 3 (the check reports it separately from the predict).
setTimeout(() => {
  console.error(`LINGER: still running 5 s after client.close(); active: ${process.getActiveResourcesInfo().join(', ')}`);
  process.exit(3);
}, 5000).unref();
