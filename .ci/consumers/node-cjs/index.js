// Node CJS consumer: resolves the package's "require" condition (dist/index.cjs).
const { Client, GradioError } = require('@gradio-hooks/client');

const resolved = require.resolve('@gradio-hooks/client');
if (!resolved.endsWith('.cjs')) throw new Error(`require() resolved ${resolved}, not the CJS build`);
if (typeof GradioError !== 'function') throw new Error('GradioError export missing');

async function main() {
  const url = process.env.GRADIO_URL;
  if (!url) throw new Error('GRADIO_URL is not set');
  const client = await Client.connect(url);
  try {
    const [sum] = await client.predict('/calculate', { a: 7, b: 5, operation: 'subtract' });
    if (sum !== 2) throw new Error(`expected 2, got ${JSON.stringify(sum)}`);
    console.log(`node-cjs: /calculate 7-5 = ${sum}`);
  } finally {
    client.close();
  }
}

main().then(
  () => {
    // client.close() promises that a Node process with nothing else to do exits. If it is still
    // alive 5 s later, say so and exit 3 (the check reports it separately from the predict).
    setTimeout(() => {
      console.error(`LINGER: still running 5 s after client.close(); active: ${process.getActiveResourcesInfo().join(', ')}`);
      process.exit(3);
    }, 5000).unref();
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
