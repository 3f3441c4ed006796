// Release check for the two library packages, run against what users will install:
//   1. builds both packages (tsup: ESM + CJS + .d.ts/.d.cts + sourcemaps) and checks the output;
//   2. packs both with `pnpm pack` (which applies publishConfig) into a temp dir;
//   3. runs `publint --strict` and `attw` on each tarball;
//   4. installs the tarballs with npm into temp copies of the consumers in .ci/consumers/ and runs
//      them against a local Gradio server: Node ESM, Node CJS, a browser bundle in Chromium, a
//      Cloudflare Worker run by workerd, Deno and Bun, a Next.js app, a TypeScript browser
//      project (`skipLibCheck: false`, no @types/node) and a TypeScript Node project (no DOM library).
// Prints one ✓/✗ line per check and exits 1 on any failure.
// Options: --skip-build (use the existing dist/), --keep (keep the temp dir), --no-browser-run
// (bundle the browser consumer but do not start Chromium). A Node consumer still alive 5 s after
// client.close() fails its check.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const PACKAGES = [
  { name: '@gradio-hooks/client', dir: 'packages/client' },
  { name: '@gradio-hooks/react', dir: 'packages/react' },
];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const results = [];
function report(ok, name, detail = '') {
  results.push({ ok, name });
  console.log(`${ok ? '✓' : '✗'} ${name}${detail ? ` — ${detail}` : ''}`);
  return ok;
}

/** Runs a command; resolves { code, out } (stdout+stderr). Never rejects. */
function run(cmd, argv, { cwd = root, env = {}, timeoutMs = 300_000 } = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => { out += `\n[timed out after ${timeoutMs} ms]`; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); resolvePromise({ code: -1, out: out + String(err) }); });
    child.on('close', (code) => { clearTimeout(timer); resolvePromise({ code: code ?? -1, out }); });
  });
}

/** Headless Chromium (Debian's) with a fresh profile under the work folder; the caller closes it. */
async function launchChromium() {
  const { chromium } = await import(join(root, 'node_modules/playwright-core/index.mjs'));
  return chromium.launchPersistentContext(await mkdtemp(join(work, 'chromium-')), {
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A port of 127.0.0.1 that is free now. */
const freePort = () =>
  new Promise((r) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => r(port));
    });
  });

const tail = (s, n = 25) => s.trim().split('\n').slice(-n).map((l) => `    ${l}`).join('\n');
const bin = (name) => join(root, 'node_modules/.bin', name);

async function step(name, fn) {
  try {
    const r = await fn();
    if (r === false || (r && r.ok === false)) {
      report(false, name, r?.detail ?? '');
      if (r?.out) console.log(tail(r.out));
      return false;
    }
    return report(true, name, r?.detail ?? '');
  } catch (err) {
    report(false, name, String(err?.message ?? err));
    if (err?.out) console.log(tail(err.out));
    return false;
  }
}

const work = await mkdtemp(join(tmpdir(), 'gradio-hooks-check-'));
const packs = join(work, 'packs');
const tarballs = {};
let server;

try {
  // 1. Build.
  if (!args.has('--skip-build')) {
    await step('build both packages (pnpm build)', async () => {
      const r = await run('pnpm', ['run', 'build']);
      return { ok: r.code === 0, out: r.out };
    });
  }
  for (const p of PACKAGES) {
    const dist = join(root, p.dir, 'dist');
    await step(`${p.name}: dist has index.{js,cjs,d.ts,d.cts} + sourcemaps`, async () => {
      const want = ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'index.js.map', 'index.cjs.map'];
      const missing = want.filter((f) => !existsSync(join(dist, f)));
      const sizes = await Promise.all(want.filter((f) => !missing.includes(f)).map(async (f) => `${f} ${(await stat(join(dist, f))).size} B`));
      return { ok: missing.length === 0, detail: missing.length ? `missing ${missing}` : sizes.join(', ') };
    });
  }
  await step("@gradio-hooks/react: 'use client' heads hooks.js and hooks.cjs; index.js and index.cjs (which re-export the client) are no client module", async () => {
    const bad = [];
    for (const f of ['hooks.js', 'hooks.cjs', 'index.js', 'index.cjs']) {
      const code = await readFile(join(root, 'packages/react/dist', f), 'utf8');
      const first = code.split('\n')[0].trim();
      const client = /^['"]use client['"];?$/.test(first);
      if (f.startsWith('hooks') !== client) bad.push(`${f}: ${first}`);
      if (f.startsWith('index') && /use client/.test(code)) bad.push(`${f} says 'use client'`);
    }
    return { ok: bad.length === 0, detail: bad.join('; ') };
  });
  await step('@gradio-hooks/client: Node-only import(fs) stays a runtime dynamic import in ESM and CJS, marked for webpack and Vite to ignore', async () => {
    const bad = [];
    for (const f of ['index.js', 'index.cjs']) {
      const code = await readFile(join(root, 'packages/client/dist', f), 'utf8');
      // `import(<comments> fs)`: a variable specifier, not resolved, not turned into require().
      const call = /await import\(\s*((?:\/\*[^*]*\*\/\s*)*)fs\s*\)/.exec(code);
      if (!call) bad.push(`${f}: no import(fs)`);
      // without webpackIgnore, webpack (Next.js) warns "Critical dependency: the request of a
      // dependency is an expression" and bundles a context module of the dist folder
      else if (!/webpackIgnore: true/.test(call[1]) || !/@vite-ignore/.test(call[1])) bad.push(`${f}: import(fs) without webpackIgnore and @vite-ignore`);
      if (/require\(\s*["'](node:)?fs/.test(code) || /import\(\s*["'](node:)?fs/.test(code)) bad.push(`${f}: fs resolved statically`);
    }
    return { ok: bad.length === 0, detail: bad.join('; ') };
  });

  // 2. Pack.
  for (const p of PACKAGES) {
    await step(`${p.name}: pnpm pack`, async () => {
      const r = await run('pnpm', ['pack', '--pack-destination', packs], { cwd: join(root, p.dir) });
      if (r.code !== 0) return { ok: false, out: r.out };
      const file = (await readdir(packs)).find((f) => f.startsWith(p.name.replace('@', '').replace('/', '-')) && f.endsWith('.tgz'));
      tarballs[p.name] = join(packs, file);
      return { ok: true, detail: `${file} (${(await stat(tarballs[p.name])).size} B)` };
    });
    await step(`${p.name}: packed package.json points at dist (publishConfig applied), ships LICENSE and README.md, dependencies in ranges`, async () => {
      const x = join(work, 'unpacked', p.dir);
      await run('mkdir', ['-p', x]);
      const r = await run('tar', ['xzf', tarballs[p.name], '-C', x]);
      if (r.code !== 0) return { ok: false, out: r.out };
      const pj = JSON.parse(await readFile(join(x, 'package/package.json'), 'utf8'));
      const flat = JSON.stringify({ exports: pj.exports, main: pj.main, module: pj.module, types: pj.types });
      const firstKey = Object.keys(pj.exports['.'].import)[0] + '/' + Object.keys(pj.exports['.'].require)[0];
      const deps = JSON.stringify(pj.dependencies ?? {});
      // the licence and readme ship; the client is wanted in a range (a pinned version would give an
      // app two copies as soon as it installs another one itself)
      const shipped = ['LICENSE', 'README.md'].filter((f) => existsSync(join(x, 'package', f)));
      const ok = !flat.includes('src/') && flat.includes('./dist/index.cjs') && flat.includes('./dist/index.d.cts')
        && firstKey === 'types/types' && pj.sideEffects === false && !deps.includes('workspace:') && shipped.length === 2
        && Object.values(pj.dependencies ?? {}).every((v) => /^\^/.test(v));
      return { ok, detail: ok ? `exports["."] = import→dist/index.js, require→dist/index.cjs (types first); LICENSE, README.md; dependencies ${deps}` : `${flat}; ${shipped}; ${deps}` };
    });
  }

  // 3. publint --strict and attw on each tarball.
  for (const p of PACKAGES) {
    await step(`${p.name}: publint --strict`, async () => {
      const r = await run(bin('publint'), ['--strict', tarballs[p.name]]);
      const ok = r.code === 0 && /All good/.test(r.out);
      return { ok, out: r.out, detail: ok ? 'All good' : '' };
    });
    await step(`${p.name}: attw (are the types wrong)`, async () => {
      const r = await run(bin('attw'), [tarballs[p.name], '--format', 'ascii'], { env: { FORCE_COLOR: '0', NO_COLOR: '1' } });
      const ok = r.code === 0 && /No problems found/.test(r.out);
      return { ok, out: r.out, detail: ok ? 'No problems found (node10, node16 CJS/ESM, bundler)' : '' };
    });
  }

  // 4. Consumers.
  const { startServer } = await import(join(root, 'apps/gradio-server/server.mjs'));
  const serverOk = await step('local Gradio server started', async () => {
    server = await startServer();
    return { detail: server.url };
  });

  async function consumer(name, deps) {
    const dir = join(work, 'consumers', name);
    await cp(join(root, '.ci/consumers', name), dir, { recursive: true });
    const r = await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', ...deps.map((d) => tarballs[d])], { cwd: dir });
    if (r.code !== 0) throw Object.assign(new Error(`npm install failed in ${name}`), { out: r.out });
    return dir;
  }

  const haveTarballs = PACKAGES.every((p) => tarballs[p.name]);
  if (haveTarballs && serverOk) {
    const env = { GRADIO_URL: server.url };
    for (const [name, file] of [['node-esm', 'index.js'], ['node-cjs', 'index.js']]) {
      let linger = '';
      await step(`consumer ${name}: npm install tarball, predict /calculate`, async () => {
        const dir = await consumer(name, ['@gradio-hooks/client']);
        const r = await run(process.execPath, [file], { cwd: dir, env, timeoutMs: 60_000 });
        const line = r.out.split('\n').find((l) => l.startsWith(`${name}:`)) ?? '';
        // Exit code 3: the predict passed but the process was still alive 5 s after close().
        if (r.code === 3) linger = r.out.split('\n').find((l) => l.startsWith('LINGER')) ?? 'LINGER';
        return { ok: (r.code === 0 || r.code === 3) && !!line, out: r.out, detail: line };
      });
      report(!linger, `consumer ${name}: the process exits by itself after client.close()${linger && ` — ${linger}`}`);
    }

    await step('consumer browser: esbuild bundle (platform browser), no Node built-ins, predict /calculate in Chromium from another origin with a token (CORS preflight of X-HF-Authorization), an ArgumentError for a local path, and stream /count in a Web Worker', async () => {
      const dir = await consumer('browser', ['@gradio-hooks/client']);
      const { build } = await import(join(root, 'node_modules/esbuild/lib/main.js'));
      const result = await build({
        absWorkingDir: dir, entryPoints: ['main.js', 'worker.js'], outdir: dir, entryNames: '[name].bundle', bundle: true, minify: true,
        format: 'esm', platform: 'browser', target: 'es2022', metafile: true, logLevel: 'silent',
      });
      const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
      const inputs = Object.keys(result.metafile.inputs);
      const nodeImports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path)).filter((p) => builtins.has(p) || p.startsWith('node:'));
      if (!inputs.some((i) => i.includes('@gradio-hooks/client/dist/index.js'))) return { ok: false, detail: `bundle did not use dist/index.js: ${inputs}` };
      if (nodeImports.length) return { ok: false, detail: `Node built-ins referenced: ${nodeImports}` };
      const size = (await stat(join(dir, 'main.bundle.js'))).size;
      if (args.has('--no-browser-run')) return { detail: `bundle ${size} B; Chromium run skipped` };
      if (!existsSync(CHROMIUM)) return { ok: false, detail: `${CHROMIUM} not found (apt-get install -y chromium)` };

      const http = createServer(async (req, res) => {
        const path = new URL(req.url, 'http://x').pathname;
        const file = join(dir, path === '/' ? 'index.html' : path.slice(1));
        try {
          const body = await readFile(file);
          res.writeHead(200, { 'content-type': extname(file) === '.html' ? 'text/html' : 'text/javascript' }).end(body);
        } catch { res.writeHead(404).end(); }
      });
      await new Promise((r) => http.listen(0, '127.0.0.1', r));
      const pageUrl = `http://127.0.0.1:${http.address().port}/?gradio=${encodeURIComponent(server.url)}`;
      const ctx = await launchChromium();
      try {
        const page = await ctx.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(pageUrl);
        const res = await page.evaluate(() => window.__result);
        const text = await page.textContent('#out');
        return { ok: res?.ok === true && errors.length === 0, detail: `${text} (bundle ${size} B min)${errors.length ? `; page errors: ${errors}` : ''}${res?.error ? `; ${res.error}` : ''}` };
      } finally {
        await ctx.close();
        http.close();
      }
    });

    await step('consumer workerd: esbuild bundle for the Cloudflare Workers runtime, run by workerd: predict, stream, gr.State, file upload and download', async () => {
      const dir = await consumer('workerd', ['@gradio-hooks/client']);
      const { build } = await import(join(root, 'node_modules/esbuild/lib/main.js'));
      await build({
        absWorkingDir: dir, entryPoints: ['worker.js'], outfile: join(dir, 'worker.bundle.js'), bundle: true, format: 'esm',
        platform: 'neutral', mainFields: ['module', 'main'], conditions: ['workerd', 'worker', 'browser'], target: 'es2022', logLevel: 'silent',
      });
      const port = await freePort();
      const workerd = spawn(join(dir, 'node_modules/.bin/workerd'), ['serve', 'config.capnp', '--socket-addr', `http=127.0.0.1:${port}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      workerd.stdout.on('data', (d) => { out += d; });
      workerd.stderr.on('data', (d) => { out += d; });
      try {
        let got;
        for (const start = Date.now(); !got && Date.now() - start < 30_000; await new Promise((r) => setTimeout(r, 200))) {
          got = await fetch(`http://127.0.0.1:${port}/?gradio=${encodeURIComponent(server.url)}`).then((r) => r.json(), () => undefined);
        }
        const expected = { product: 42, counted: [1, 2, 3], state: [1, 3], file: ['w.txt', 'from a Worker'] };
        return { ok: JSON.stringify(got) === JSON.stringify(expected), out, detail: JSON.stringify(got ?? 'workerd did not answer within 30 s') };
      } finally {
        workerd.kill('SIGKILL');
      }
    });

    // Deno and Bun, from their npm packages (pinned), run the same script on the packed client.
    let runtimes;
    for (const [name, argv] of [['deno', ['run', '-A', 'index.js']], ['bun', ['index.js']]]) {
      let linger = '';
      await step(`consumer ${name}: npm install tarball, predict, a streamed generator, gr.State with the heartbeat, an AppError, a file round trip`, async () => {
        runtimes ??= await consumer('deno-bun', ['@gradio-hooks/client']);
        const r = await run(join(runtimes, 'node_modules/.bin', name), argv, { cwd: runtimes, env, timeoutMs: 60_000 });
        const line = r.out.split('\n').find((l) => l.startsWith(`${name} `)) ?? '';
        // Exit code 3: the calls passed but the process was still alive 5 s after close().
        if (r.code === 3) linger = r.out.split('\n').find((l) => l.startsWith('LINGER')) ?? 'LINGER';
        return { ok: (r.code === 0 || r.code === 3) && !!line, out: r.out, detail: line };
      });
      report(!linger, `consumer ${name}: the process exits by itself after client.close()${linger && ` — ${linger}`}`);
    }

    // Next.js (App Router): React Server Components. Built with webpack and with Turbopack, each run
    // by `next start`: a server component and a route handler use the real Client from
    // @gradio-hooks/react, and the page's client component (usePredict under a <GradioProvider>
    // that the server component renders) gets its result in Chromium.
    let nextDir;
    for (const bundler of ['webpack', 'turbopack']) {
      await step(`consumer nextjs (${bundler}): next build; a server component and a route handler call the app with Client from @gradio-hooks/react, and a usePredict under the <GradioProvider> they render answers in Chromium`, async () => {
        nextDir ??= await consumer('nextjs', ['@gradio-hooks/client', '@gradio-hooks/react']);
        const dir = nextDir;
        const nextBin = join(dir, 'node_modules/next/dist/bin/next');
        const nextEnv = { ...env, DIST: `.next-${bundler}`, NEXT_TELEMETRY_DISABLED: '1' };
        const built = await run(process.execPath, [nextBin, 'build', bundler === 'webpack' ? '--webpack' : '--turbopack'], { cwd: dir, env: nextEnv, timeoutMs: 300_000 });
        if (built.code !== 0) return { ok: false, out: built.out, detail: 'next build failed' };
        const port = await freePort();
        // its own process group, stopped whole: next start runs the server in a child process
        const next = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], { cwd: dir, env: { ...process.env, ...nextEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        let out = '';
        next.stdout.on('data', (d) => { out += d; });
        next.stderr.on('data', (d) => { out += d; });
        const base = `http://127.0.0.1:${port}`;
        try {
          let api;
          for (const start = Date.now(); !api && Date.now() - start < 30_000; await new Promise((r) => setTimeout(r, 200))) {
            api = await fetch(`${base}/api/sum`).then((r) => r.json(), () => undefined);
          }
          if (JSON.stringify(api) !== JSON.stringify({ sum: 42, appError: 'from a route' })) return { ok: false, out, detail: `/api/sum answered ${JSON.stringify(api)}` };
          if (!existsSync(CHROMIUM)) return { ok: false, detail: `${CHROMIUM} not found (apt-get install -y chromium)` };
          const ctx = await launchChromium();
          try {
            const page = await ctx.newPage();
            const errors = [];
            page.on('pageerror', (e) => errors.push(String(e)));
            // (the app has no favicon: the browser's request for one fails)
            page.on('console', (m) => m.type() === 'error' && !m.location().url?.endsWith('/favicon.ico') && errors.push(m.text()));
            await page.goto(base);
            await page.waitForSelector('#client:text("client sum")', { timeout: 30_000 }).catch(() => {});
            const shown = `${await page.textContent('#server')}, ${await page.textContent('#client')}`;
            return { ok: shown === 'server sum 5, client sum 9' && errors.length === 0, out, detail: `${shown}; /api/sum ${JSON.stringify(api)}${errors.length ? `; page errors: ${errors}` : ''}` };
          } finally {
            await ctx.close();
          }
        } finally {
          try { process.kill(-next.pid, 'SIGKILL'); } catch {}
        }
      });
    }

    await step('consumer typescript: browser project, skipLibCheck false, no @types/node, both packages', async () => {
      const dir = await consumer('typescript', ['@gradio-hooks/client', '@gradio-hooks/react']);
      if (existsSync(join(dir, 'node_modules/@types/node'))) return { ok: false, detail: '@types/node got installed' };
      const compilers = [
        ['typescript 7.0.2', join(root, 'node_modules/typescript/bin/tsc')],
        ['typescript 6.0.3', join(root, 'packages/client/node_modules/typescript/bin/tsc')],
      ];
      const done = [];
      for (const [label, tsc] of compilers) {
        const r = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], { cwd: dir });
        if (r.code !== 0) return { ok: false, out: r.out, detail: `${label}: tsc --noEmit failed` };
        done.push(label);
      }
      return { detail: `tsc --noEmit passes with ${done.join(' and ')}` };
    });

    await step('consumer typescript-node: Node project (types node, no DOM library), skipLibCheck false, the client', async () => {
      const dir = await consumer('typescript-node', ['@gradio-hooks/client']);
      for (const [label, tsc] of [
        ['typescript 7.0.2', join(root, 'node_modules/typescript/bin/tsc')],
        ['typescript 6.0.3', join(root, 'packages/client/node_modules/typescript/bin/tsc')],
      ]) {
        const r = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], { cwd: dir });
        if (r.code !== 0) return { ok: false, out: r.out, detail: `${label}: tsc --noEmit failed` };
      }
      return { detail: 'tsc --noEmit passes with typescript 7.0.2 and 6.0.3' };
    });
  } else {
    report(false, 'consumers', 'skipped: tarballs or server missing');
  }
} finally {
  if (server) await server.stop().catch(() => {});
  if (args.has('--keep')) console.log(`(kept ${work})`);
  else await rm(work, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
