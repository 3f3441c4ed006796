// `npm run demo`: installs what is missing, starts the project's Gradio server and the demo app
// (Vite) together, prints the URL, and stops both on Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, listenable, root } from './bootstrap.mjs';

// The demo's port: DEMO_PORT as given, or 5173 (Vite's usual one), or any free one when another
// app (often another Vite app) has 5173.
const wanted = Number(process.env.DEMO_PORT ?? 5173);
const demoPort = existsSync(join(root, 'apps/demo/package.json')) ? await listenable(wanted) : wanted;
if (process.env.DEMO_PORT && demoPort !== wanted) {
  console.error(`Port ${wanted} (DEMO_PORT) is in use: choose another one, or leave DEMO_PORT unset to get a free one.`);
  process.exit(1);
}

const { DEFAULT_GRADIO_VERSION, startServer } = await import('../apps/gradio-server/server.mjs');
await bootstrap([DEFAULT_GRADIO_VERSION]);
const server = await startServer({ version: DEFAULT_GRADIO_VERSION, port: Number(process.env.GRADIO_PORT) || undefined });
console.log(`Gradio ${DEFAULT_GRADIO_VERSION} server: ${server.url}`);

let app;
const stop = async (code = 0) => {
  if (app && app.exitCode === null) {
    try {
      process.kill(-app.pid, 'SIGTERM');
    } catch {}
  }
  await server.stop();
  process.exit(code);
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

if (existsSync(join(root, 'apps/demo/package.json'))) {
  const port = String(demoPort);
  if (demoPort !== wanted) console.log(`Port ${wanted} is in use: the demo takes ${port}.`);
  // vite itself, not through pnpm: pnpm would report the Ctrl-C as a failed run
  app = spawn(join(root, 'apps/demo/node_modules/.bin/vite'), ['--port', port, '--strictPort', '--host', '127.0.0.1'], {
    cwd: join(root, 'apps/demo'),
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
    env: { ...process.env, VITE_GRADIO_URL: server.url },
  });
  app.on('exit', (code) => stop(code ?? 0));
  console.log(`\nDemo: http://127.0.0.1:${port}/  (Ctrl-C stops the demo and the Gradio server)\n`);
} else {
  // No demo app yet: a short client example against the server.
  const { build } = await import('esbuild');
  const out = join(root, 'node_modules/.cache/gradio-hooks-client.mjs');
  await build({ entryPoints: [join(root, 'packages/client/src/index.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error' });
  const { Client } = await import(out);
  const client = await Client.connect(server.url);
  console.log('calculate(2, 3, multiply) =', (await client.predict('/calculate', { a: 2, b: 3, operation: 'multiply' }))[0]);
  for await (const [text] of client.submit('/stream_text', { prompt: 'Streaming:', n_tokens: 5 })) console.log(text);
  client.close();
  await stop(0);
}
