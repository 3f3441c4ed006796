// `npm test`: installs what is missing, then runs every check and test of the repo against real
// Gradio servers, and ends with one line "N passed, N failed".
//
// - typecheck of every package, and of the code examples of the docs (scripts/check-docs.mjs);
// - the API reference (typedoc), which fails on a public export without TSDoc;
// - the whole Vitest suite (unit, client and React integration, type tests) on the pinned gradio;
// - the client's integration suite and the React hooks again on every other supported gradio version, and on the
//   pinned one with server-side rendering (SSR), as Spaces run it;
// - the client's protocol tests on the releases of the older protocols (sse_v1 to sse_v2.1);
// - the demo's end-to-end tests in Chromium and its production build (when apps/demo has them);
// - lint, the bundle size budgets, and the release checks of both packages (build, publint,
//   attw, consumers installed from the packed tarballs).
// GRADIO_VERSIONS=6.31.0 (comma separated) limits the version matrix.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, listenable, root, run } from './bootstrap.mjs';

const { GRADIO_VERSIONS, DEFAULT_GRADIO_VERSION, PROTOCOL_GRADIO_VERSIONS } = await import('../apps/gradio-server/server.mjs');
const versions = process.env.GRADIO_VERSIONS ? process.env.GRADIO_VERSIONS.split(',').map((v) => v.trim()) : GRADIO_VERSIONS;
const protocolVersions = process.env.GRADIO_VERSIONS ? [] : PROTOCOL_GRADIO_VERSIONS;
const main = versions.includes(DEFAULT_GRADIO_VERSION) ? DEFAULT_GRADIO_VERSION : versions[0];

let passed = 0;
let failed = 0;
const failures = [];
const check = (name, ok) => {
  ok ? passed++ : (failed++, failures.push(name));
  console.log(`${ok ? '✓' : '✗'} ${name}`);
};

try {
  await bootstrap([...versions, ...protocolVersions]);
} catch (e) {
  console.error(`\nSetup failed: ${e instanceof Error ? e.message : e}`);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}
// System programs some tests need (.ci/run installs them with apt): say so before they fail.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) console.warn(`! ${CHROMIUM} not found: the browser tests will fail (apt-get install -y chromium, or set CHROMIUM_PATH)`);
if (spawnSync('ffmpeg', ['-version']).status !== 0) console.warn('! ffmpeg not found on PATH: Gradio cannot encode the streamed-audio test\'s output (apt-get install -y ffmpeg)');
const reports = join(root, '.reports');
mkdirSync(reports, { recursive: true });

function vitestCounts(file, label) {
  if (!existsSync(file)) return check(`${label}: vitest wrote no report`, false);
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numTotalTests === 0 ? 1 : 0);
  for (const suite of r.testResults ?? []) {
    for (const t of suite.assertionResults ?? []) if (t.status === 'failed') failures.push(`${label}: ${t.fullName}`);
    if (suite.status === 'failed' && !(suite.assertionResults ?? []).some((t) => t.status === 'failed')) {
      failed++;
      failures.push(`${label}: ${suite.name} (${(suite.message ?? '').split('\n')[0]})`);
    }
  }
}

check('typecheck', (await run('pnpm', ['run', '--silent', 'typecheck'])) === 0);
check('docs: code examples type-check', (await run('node', ['scripts/check-docs.mjs'])) === 0);
check('docs: API reference, every public export documented (typedoc)', (await run('pnpm', ['run', '--silent', 'docs:api'])) === 0);
check('lint (biome)', (await run('pnpm', ['run', '--silent', 'lint'])) === 0);

const vitest = (version, args, ssr = false) => {
  const name = `${version}${ssr ? ' ssr' : ''}`;
  const file = join(reports, `vitest-${name.replace(' ', '-')}.json`);
  return run('pnpm', ['exec', 'vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], {
    env: { ...process.env, GRADIO_VERSION: version, GRADIO_SSR: ssr ? '1' : '' },
  }).then(() => vitestCounts(file, `gradio ${name}`));
};
await vitest(main, []);
for (const v of versions.filter((v) => v !== main)) {
  console.log(`\n> client integration suite and React hooks on gradio ${v}`);
  await vitest(v, ['--project', 'client', '--project', 'react', 'react/src/', 'integration']);
}
// Spaces run Gradio ≥ 5 with server-side rendering: on Gradio 6 a Node server in front of Python
// takes every request (it keeps some connections open, and answers unknown paths with its page).
if (Number(main.split('.')[0]) >= 5) {
  console.log(`\n> client integration suite on gradio ${main} with server-side rendering`);
  await vitest(main, ['--project', 'client', 'integration'], true);
}

// The releases of the older protocols (sse_v1, sse_v2, sse_v2.1): the protocol tests, whose
// calls every release takes.
for (const v of protocolVersions) {
  console.log(`\n> client protocol tests on gradio ${v}`);
  await vitest(v, ['--project', 'client', 'sessionStream.integration']);
}

if (existsSync(join(root, 'apps/demo/package.json'))) {
  const demo = JSON.parse(readFileSync(join(root, 'apps/demo/package.json'), 'utf8'));
  if (demo.scripts?.build) check('demo production build (vite build)', (await run('pnpm', ['--filter', 'demo', 'run', 'build'])) === 0);
  if (demo.scripts?.e2e) {
    const file = join(reports, 'playwright.json');
    // free ports, so that no other app on the usual ones (a Vite app on 5174) is taken for the demo
    const gradioPort = await listenable(0);
    let appPort = await listenable(0);
    while (appPort === gradioPort) appPort = await listenable(0);
    const ports = { E2E_GRADIO_PORT: String(gradioPort), E2E_APP_PORT: String(appPort) };
    await run('pnpm', ['--filter', 'demo', 'run', 'e2e'], { env: { ...process.env, ...ports, PLAYWRIGHT_JSON_OUTPUT_NAME: file } });
    if (existsSync(file)) {
      const s = JSON.parse(readFileSync(file, 'utf8')).stats ?? {};
      passed += s.expected ?? 0;
      failed += (s.unexpected ?? 0) + (s.flaky ?? 0);
      if (s.unexpected) failures.push(`demo e2e: ${s.unexpected} failed (see apps/demo/test-results)`);
    } else check('demo e2e: playwright wrote no report', false);
  }
}

check('bundle size budgets (size-limit, .size-limit.json)', (await run('pnpm', ['exec', 'size-limit'])) === 0);
// Builds and packs both packages, runs publint --strict and attw on the tarballs, and runs the
// Node ESM, Node CJS, browser and TypeScript consumers against them.
check('packages fit to publish (scripts/check-packages.mjs)', (await run('node', ['scripts/check-packages.mjs'])) === 0);

if (failures.length) console.log(`\nFailed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
