// The packed client in Deno and in Bun (the same script): predict, a streamed generator, gr.State
// kept across calls (with the heartbeat the app asks for), an AppError, a file round trip, and a
// process that ends by itself after client.close().
import { AppError, Client, handleFile } from '@gradio-hooks/client';

const runtime = globalThis.Deno ? `deno ${Deno.version.deno}` : `bun ${globalThis.Bun?.version}`;
const url = globalThis.Deno ? Deno.env.get('GRADIO_URL') : process.env.GRADIO_URL;
const exit = (code) => (globalThis.Deno ? Deno.exit(code) : process.exit(code));
const expect = (what, got, want) => {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
};

const client = await Client.connect(url);
try {
  expect('connect_heartbeat', client.config.connect_heartbeat, true);
  const [product] = await client.predict('/calculate', { a: 6, b: 7, operation: 'multiply' });
  expect('/calculate', product, 42);
  const counted = [];
  for await (const [n] of client.submit('/count', [3, 0])) counted.push(n);
  expect('/count', counted, [1, 2, 3]);
  // several calls before close(): Deno once left the heartbeat open after a few requests
  const state = [];
  for (let i = 0; i < 5; i++) state.push((await client.predict('/increment', [1]))[0]);
  expect('gr.State', state, [1, 2, 3, 4, 5]);
  for (let i = 0; i < 20; i++) expect('/echo', await client.predict('/echo', [`${i}`]), [`${i}`]);
  const failed = await client.predict('/fail', { message: 'nope' }).catch((e) => e);
  expect('AppError', failed instanceof AppError && failed.message.includes('nope'), true);
  const [file] = await client.predict('/echo_file', [handleFile(new Blob([`from ${runtime}`]), { name: 'r.txt' })]);
  expect('file', [file.orig_name, await (await client.download(file)).text()], ['r.txt', `from ${runtime}`]);
  console.log(`${runtime}: 6*7 = ${product}, /count ${counted}, state ${state}, AppError, file round trip`);
} finally {
  client.close();
}

// close() frees every stream and timer: nothing should keep the process alive
const linger = setTimeout(() => {
  console.error(`LINGER: ${runtime} still running 5 s after client.close()`);
  exit(3);
}, 5000);
globalThis.Deno ? Deno.unrefTimer(linger) : linger.unref();
