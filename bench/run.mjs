// Side-by-side benchmarks (issue #5): @gradio-hooks/client, @gradio/client 2.7.0, Python gradio_client and
// the raw protocol floor, against one local Gradio server. `pnpm bench` (= node bench/run.mjs).
//
// Starts its own Gradio server (apps/gradio-server) and a counting TCP proxy, both on 127.0.0.1, runs every
// scenario of every contender in a child process of its own, prints a table and writes docs/benchmarks.md.
// BENCH_QUICK=1: fewer repetitions, for a smoke run (prints the table, does not overwrite docs/benchmarks.md
// unless BENCH_WRITE=1).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { startServer, ensureVenv, DEFAULT_GRADIO_VERSION } from '../apps/gradio-server/server.mjs';
import { startProxy } from './lib/proxy.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
const QUICK = !!process.env.BENCH_QUICK && process.env.BENCH_QUICK !== '0';
const WRITE = !QUICK || process.env.BENCH_WRITE === '1';
const TOTAL_TIMEOUT_MS = 12 * 60_000;

// Repetition counts. `procs`: separate processes per contender (the reported value is the median over them).
const PLAN = QUICK
  ? {
      cold: { procs: 1, params: { warmup: 1, reps: 5, timeoutMs: 60_000 } },
      latency: { procs: 1, params: { warmup: 5, calls: 50, timeoutMs: 60_000 } },
      concurrency: { procs: 1, params: { warmup: 0, jobs: 100, timeoutMs: 60_000 } },
      stream: { procs: 1, params: { warmupN: 200, n: 1000, reps: 1, timeoutMs: 60_000 } },
      chat: { procs: 1, params: { endpoint: '/chat_stream', args: [200, 100], warmupArgs: [200, 20], reps: 1, timeoutMs: 60_000 } },
      remote: { procs: 1, params: { warmup: 2, calls: 10, timeoutMs: 60_000 } },
    }
  : {
      cold: { procs: 3, params: { warmup: 2, reps: 20, timeoutMs: 90_000 } },
      latency: { procs: 5, params: { warmup: 20, calls: 250, timeoutMs: 120_000 } },
      concurrency: { procs: 3, params: { warmup: 0, jobs: 500, timeoutMs: 120_000 } },
      stream: { procs: 1, params: { warmupN: 500, n: 5000, reps: 3, timeoutMs: 150_000 } },
      // a chat model's reply streamed into a gr.Chatbot after 200 messages: one append diff per token
      chat: { procs: 1, params: { endpoint: '/chat_stream', args: [200, 300], warmupArgs: [200, 50], reps: 3, timeoutMs: 150_000 } },
      remote: { procs: 2, params: { warmup: 5, calls: 40, timeoutMs: 120_000 } },
    };
/** One-way delay of the simulated network of the `remote` scenario (round trip: twice this). */
const REMOTE_DELAY_MS = 10;

const CONTENDERS = [
  { id: 'floor', label: 'raw floor (fetch + SSE)' },
  { id: 'hooks', label: '@gradio-hooks/client' },
  { id: 'gradio', label: '@gradio/client 2.7.0' },
  { id: 'python', label: 'gradio_client (Python)' },
];

const log = (m) => process.stderr.write(`[bench] ${m}\n`);
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ------------------------------------------------------------------------------------------- setup
const started = Date.now();
const hardStop = setTimeout(() => {
  log(`total timeout (${TOTAL_TIMEOUT_MS / 60_000} min) reached, giving up`);
  cleanup().finally(() => process.exit(1));
}, TOTAL_TIMEOUT_MS);
hardStop.unref();

const tmp = await mkdtemp(path.join(os.tmpdir(), 'gradio-bench-'));
let server;
let proxy;
let remoteProxy;
const children = new Set();
async function cleanup() {
  for (const c of children) c.kill('SIGKILL');
  await proxy?.stop().catch(() => {});
  await remoteProxy?.stop().catch(() => {});
  await server?.stop().catch(() => {});
  await rm(tmp, { recursive: true, force: true }).catch(() => {});
}
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => cleanup().finally(() => process.exit(130)));

// @gradio-hooks/client is TypeScript source: bundle it for plain Node.
const hooksModule = path.join(tmp, 'gradio-hooks-client.mjs');
await build({
  entryPoints: [path.join(ROOT, 'packages/client/src/index.ts')],
  bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: hooksModule, logLevel: 'error',
});

const python = await ensureVenv(DEFAULT_GRADIO_VERSION);
const versions = await collectVersions();
log(`starting gradio ${DEFAULT_GRADIO_VERSION}…`);
// Gradio recomputes a pandas summary of up to 10,000 past events after every event
// (queueing.py, compute_analytics_summary; GRADIO_ANALYTICS_CACHE_FREQUENCY defaults to 1), so each
// call costs the server more than the one before: from 4.5 ms to 8 ms per /echo over 10,000 calls
// here. Contenders measured later would pay for the earlier ones; with the summary off the server's
// cost per call stays constant and the clients are what differs.
const SERVER_ENV = { GRADIO_ANALYTICS_CACHE_FREQUENCY: '1000000000' };
server = await startServer({ version: DEFAULT_GRADIO_VERSION, env: SERVER_ENV });
const serverPort = Number(new URL(server.url).port);
proxy = await startProxy(serverPort);
remoteProxy = await startProxy(serverPort, { delayMs: REMOTE_DELAY_MS });
log(`server ${server.url} (pid ${server.pid}), counting proxy ${proxy.url}`);
const config = await (await fetch(`${server.url}/config`)).json();
const fnIndex = {};
for (const d of config.dependencies) if (typeof d.api_name === 'string') fnIndex[d.api_name] = d.id;
if (fnIndex.echo == null || fnIndex.many == null || fnIndex.chat_stream == null) throw new Error('the server has no /echo, /many or /chat_stream endpoint');

// ------------------------------------------------------------------------------------------- running
function runChild(contender, scenario, params, url) {
  const job = JSON.stringify({ contender, scenario, url, params, hooksModule, fnIndex });
  const [cmd, args] = contender === 'python' ? [python, [path.join(HERE, 'py_worker.py')]] : [process.execPath, [path.join(HERE, 'worker.mjs')]];
  const env = {
    ...process.env, BENCH_JOB: job, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost',
    HF_HUB_OFFLINE: '1', GRADIO_ANALYTICS_ENABLED: 'False', HF_HUB_DISABLE_TELEMETRY: '1', PYTHONUNBUFFERED: '1',
  };
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(cmd, args, { cwd: HERE, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    const killer = setTimeout(() => child.kill('SIGKILL'), params.timeoutMs + 15_000);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      children.delete(child);
      const line = out.trim().split('\n').at(-1);
      let result;
      try {
        result = code === 0 ? JSON.parse(line) : undefined;
      } catch {}
      const ms = Date.now() - t0;
      if (!result) {
        log(`  ✗ ${contender}/${scenario} failed (code ${code}${signal ? `, ${signal}` : ''}): ${err.trim().split('\n').slice(-3).join(' | ')}`);
        resolve({ error: `exit ${code ?? signal}: ${err.trim().split('\n').at(-1) ?? ''}`.slice(0, 200), ms });
      } else resolve({ result, ms });
    });
  });
}

const raw = {}; // raw[scenario][contender] = [per-process results]
let configAlone; // median ms of GET /config alone
async function scenario(name, { viaProxy, url, as = name }) {
  const { procs, params } = PLAN[name];
  raw[name] = Object.fromEntries(CONTENDERS.map((c) => [c.id, []]));
  for (let p = 0; p < procs; p++) {
    // rotate the order so no contender always runs right after the same one
    const order = CONTENDERS.map((_, i) => CONTENDERS[(i + p) % CONTENDERS.length]);
    for (const c of order) {
      proxy.take();
      const { result, error, ms } = await runChild(c.id, as, params, url ?? (viaProxy ? proxy.url : server.url));
      const net = proxy.take();
      raw[name][c.id].push(error ? { error } : { ...result, net: viaProxy ? net : undefined });
      if (result) log(`  ${name} ${c.id} #${p + 1}: ${summary(name, result)} (${(ms / 1000).toFixed(1)} s)`);
    }
  }
}
function summary(name, r) {
  if (name === 'cold') return `median ${r.median.toFixed(1)} ms`;
  if (name === 'latency' || name === 'remote') return `p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms`;
  if (name === 'concurrency') return `wall ${r.wallMs.toFixed(0)} ms, max RSS ${r.maxRssMB.toFixed(0)} MB`;
  return `${r.items} items, ${r.cpuUsPerMsg.toFixed(1)} µs CPU/msg, last item ${r.lastItemMs.toFixed(0)} ms`;
}

try {
  log(`scenario 1: connect → first result (cold)`);
  await scenario('cold', { viaProxy: true });
  // what reading /config costs, which the floor skips and every real client pays; measured here,
  // apart from the contenders' runs, so it neither slows nor counts in theirs
  const configMs = [];
  for (let i = 0; i < 65; i++) {
    const t0 = performance.now();
    await (await fetch(`${proxy.url}/config`)).json();
    if (i >= 5) configMs.push(performance.now() - t0);
  }
  proxy.take();
  configAlone = median(configMs);
  log(`  GET /config alone: median ${configAlone.toFixed(1)} ms`);
  log(`scenario 2: sequential predict latency`);
  await scenario('latency', { viaProxy: false });
  log(`scenario 3: ${PLAN.concurrency.params.jobs} concurrent jobs (through the counting proxy)`);
  await scenario('concurrency', { viaProxy: true });
  log(`scenario 4: /many n=${PLAN.stream.params.n}`);
  await scenario('stream', { viaProxy: false });
  log(`scenario 4b: /chat_stream, ${PLAN.chat.params.args[1]} tokens after ${PLAN.chat.params.args[0]} messages`);
  await scenario('chat', { viaProxy: false, as: 'stream' });
  log(`scenario 2b: sequential predict latency over a simulated ${2 * REMOTE_DELAY_MS} ms round trip`);
  await scenario('remote', { url: remoteProxy.url, as: 'latency' });
} finally {
  await proxy.stop();
  await remoteProxy?.stop();
  await server.stop();
}
log(`scenario 5: bundle sizes`);
const sizes = await bundleSizes();

// ------------------------------------------------------------------------------------------- report
const agg = aggregate();
const elapsed = (Date.now() - started) / 1000;
const tables = renderTables();
const targets = renderTargets();
process.stdout.write(`\n${tables}\n${targets}\nTotal run time: ${elapsed.toFixed(0)} s${QUICK ? ' (BENCH_QUICK)' : ''}\n`);
if (WRITE) {
  await mkdir(path.join(ROOT, 'docs'), { recursive: true });
  await writeFile(path.join(ROOT, 'docs/benchmarks.md'), renderDoc(tables, targets));
  log('wrote docs/benchmarks.md');
}
await mkdir(path.join(HERE, '.results'), { recursive: true });
await writeFile(path.join(HERE, '.results', QUICK ? 'quick.json' : 'last.json'), JSON.stringify({ versions, plan: PLAN, raw, sizes, elapsed }, null, 2));
await rm(tmp, { recursive: true, force: true });
clearTimeout(hardStop);
process.exit(0);

// ------------------------------------------------------------------------------------------- helpers
function aggregate() {
  const m = (name, id, f) => median((raw[name]?.[id] ?? []).filter((r) => !r.error).map(f));
  const failed = (name, id) => (raw[name]?.[id] ?? []).find((r) => r.error)?.error;
  const a = {};
  for (const { id } of CONTENDERS) {
    const coldRuns = (raw.cold[id] ?? []).filter((r) => !r.error);
    const perConnect = (k) => median(coldRuns.map((r) => (r.net?.byKind?.[k] ?? 0) / (PLAN.cold.params.warmup + PLAN.cold.params.reps)));
    a[id] = {
      cold: m('cold', id, (r) => r.median),
      coldRequests: median(coldRuns.map((r) => r.net.requests / (PLAN.cold.params.warmup + PLAN.cold.params.reps))),
      coldKinds: { config: perConnect('config'), info: perConnect('info'), join: perConnect('join'), stream: perConnect('stream'), heartbeat: perConnect('heartbeat') },
      p50: m('latency', id, (r) => r.p50),
      p95: m('latency', id, (r) => r.p95),
      remoteP50: m('remote', id, (r) => r.p50),
      cpuPerCall: m('latency', id, (r) => r.cpuMsPerCall),
      wall: m('concurrency', id, (r) => r.wallMs),
      rss: m('concurrency', id, (r) => r.maxRssMB),
      rssBefore: m('concurrency', id, (r) => r.rssBeforeMB),
      tcp: m('concurrency', id, (r) => r.net.connections),
      streams: m('concurrency', id, (r) => r.net.byKind.stream ?? 0),
      peakOpen: m('concurrency', id, (r) => r.net.peakOpen),
      timersLeft: m('concurrency', id, (r) => (r.timersAfter ?? NaN) - (r.timersBefore ?? NaN)),
      timersAfterClose: m('concurrency', id, (r) => (r.timersAfterClose ?? NaN) - (r.timersBefore ?? NaN)),
      cpuPerMsg: m('stream', id, (r) => r.cpuUsPerMsg),
      lastItem: m('stream', id, (r) => r.lastItemMs),
      items: m('stream', id, (r) => r.items),
      chatCpuPerMsg: m('chat', id, (r) => r.cpuUsPerMsg),
      chatLastItem: m('chat', id, (r) => r.lastItemMs),
      chatItems: m('chat', id, (r) => r.items),
      failed: Object.fromEntries(['cold', 'latency', 'concurrency', 'stream', 'chat'].map((s) => [s, failed(s, id)]).filter(([, e]) => e)),
    };
  }
  return a;
}

function fmt(v, unit, digits = 1) {
  return v === undefined || Number.isNaN(v) ? 'n/a' : `${v.toFixed(digits)}${unit ? ' ' + unit : ''}`;
}
function ratio(v, ref) {
  return v === undefined || ref === undefined || !ref ? '–' : `${(v / ref).toFixed(2)}×`;
}
function row(label, key, unit, digits, { ratios = true } = {}) {
  const cells = CONTENDERS.map(({ id }) => {
    const v = agg[id][key];
    if (v === undefined) return (raw[keyScenario(key)]?.[id] ?? []).length && raw[keyScenario(key)][id].every((r) => r.error) ? 'failed' : 'n/a';
    if (!ratios || id === 'floor') return fmt(v, unit, digits);
    const vsFloor = id === 'floor' ? '' : ratio(v, agg.floor[key]);
    const vsGr = id === 'gradio' ? '' : ratio(v, agg.gradio[key]);
    return `${fmt(v, unit, digits)} (${[vsFloor && `${vsFloor} floor`, vsGr && `${vsGr} gr`].filter(Boolean).join(', ')})`;
  });
  return `| ${label} | ${cells.join(' | ')} |`;
}
function keyScenario(key) {
  return ['cold', 'coldRequests'].includes(key) ? 'cold' : ['p50', 'p95', 'cpuPerCall'].includes(key) ? 'latency' : ['cpuPerMsg', 'lastItem', 'items'].includes(key) ? 'stream' : key.startsWith('chat') ? 'chat' : 'concurrency';
}

function renderTables() {
  const head = `| Metric (median) | ${CONTENDERS.map((c) => c.label).join(' | ')} |\n|---|${CONTENDERS.map(() => '---:').join('|')}|`;
  const P = PLAN;
  const lines = [
    `Ratios in brackets: against the raw floor ("floor") and against @gradio/client ("gr"); lower is better.`,
    '',
    head,
    row(`1. connect → first /echo result, cold (${P.cold.params.reps} connects × ${P.cold.procs})`, 'cold', 'ms', 1),
    row('   HTTP requests per cold connect+predict', 'coldRequests', '', 1, { ratios: false }),
    row(`2. sequential predict p50 (${P.latency.params.calls} calls × ${P.latency.procs})`, 'p50', 'ms', 2),
    row('   sequential predict p95', 'p95', 'ms', 2),
    row('   client CPU per sequential predict', 'cpuPerCall', 'ms', 2),
    row(`2b. sequential predict p50 over a simulated ${2 * REMOTE_DELAY_MS} ms round trip (${P.remote.params.calls} calls × ${P.remote.procs})`, 'remoteP50', 'ms', 1),
    row(`3. ${P.concurrency.params.jobs} concurrent /echo jobs: wall time (× ${P.concurrency.procs})`, 'wall', 'ms', 0),
    row('   peak RSS of the client process', 'rss', 'MB', 0),
    row('   TCP connections opened', 'tcp', '', 0, { ratios: false }),
    row('   most TCP connections open at once', 'peakOpen', '', 0, { ratios: false }),
    row('   session streams opened (GET /queue/data)', 'streams', '', 0, { ratios: false }),
    row('   timers left after the burst (Node)', 'timersLeft', '', 0, { ratios: false }),
    row(`4. /many n=${P.stream.params.n}: client CPU per message (× ${P.stream.params.reps})`, 'cpuPerMsg', 'µs', 1),
    row('   time to the last item', 'lastItem', 'ms', 0),
    row('   items received', 'items', '', 0, { ratios: false }),
    row(`4b. /chat_stream, ${P.chat.params.args[1]} tokens after ${P.chat.params.args[0]} messages: client CPU per message (× ${P.chat.params.reps})`, 'chatCpuPerMsg', 'µs', 1),
    row('   time to the last item', 'chatLastItem', 'ms', 0),
    row('   items received', 'chatItems', '', 0, { ratios: false }),
  ];
  const req = CONTENDERS.map(({ id, label }) => {
    const k = agg[id].coldKinds;
    return `- ${label}: ${Object.entries(k).filter(([, v]) => v).map(([n, v]) => `${fmt(v, '', 1)} ${n}`).join(', ') || 'n/a'}`;
  });
  const sizeLines = [
    '| Bundle (esbuild, minify, browser, ESM, gzip -9) | min | min+gzip | budget |',
    '|---|---:|---:|---:|',
    ...sizes.map((s) => `| ${s.name} | ${s.error ? 'failed' : (s.min / 1000).toFixed(1) + ' kB'} | ${s.error ? s.error : (s.gzip / 1000).toFixed(2) + ' kB'} | ${s.budget ? (s.budget / 1000).toFixed(1) + ' kB' : '–'} |`),
  ];
  const failures = CONTENDERS.flatMap(({ id, label }) => Object.entries(agg[id].failed).map(([s, e]) => {
    const runs = raw[s][id];
    return `- ${label} / ${s}: ${runs.filter((r) => r.error).length} of ${runs.length} processes failed (medians use the others): ${e}`;
  }));
  return [
    ...lines,
    '',
    'Requests per cold connect+predict, by kind (through the counting proxy):',
    ...req,
    '',
    ...sizeLines,
    ...(failures.length ? ['', 'Failures:', ...failures] : []),
    '',
  ].join('\n');
}

function renderTargets() {
  const h = agg.hooks, g = agg.gradio, f = agg.floor;
  const ok = (b) => (b === undefined ? '**no data**' : b ? '**met**' : '**not met**');
  const r = (a, b) => (a !== undefined && b ? a / b : undefined);
  const x = (v) => (v === undefined ? 'n/a' : `${v.toFixed(2)}×`);
  const size = sizes.find((s) => s.key === 'hooks');
  const react = sizes.find((s) => s.key === 'react');
  const grSize = sizes.find((s) => s.key === 'gradio');
  const lat1 = r(h.p50, f.p50), lat2 = r(h.p50, g.p50), cold = r(h.cold, g.cold), cpu = r(h.cpuPerMsg, g.cpuPerMsg);
  const lines = [
    '## Targets (issue #5)',
    '',
    `- Latency p50 ≤ 1.05× floor: ${ok(lat1 === undefined ? undefined : lat1 <= 1.05)} — ${fmt(h.p50, 'ms', 2)} vs floor ${fmt(f.p50, 'ms', 2)} = ${x(lat1)}.`,
    `- Latency p50 ≤ 0.9× @gradio/client: ${ok(lat2 === undefined ? undefined : lat2 <= 0.9)} — ${fmt(h.p50, 'ms', 2)} vs ${fmt(g.p50, 'ms', 2)} = ${x(lat2)}.`,
    `  Over a simulated ${2 * REMOTE_DELAY_MS} ms round trip (2b): ${fmt(h.remoteP50, 'ms')} vs ${fmt(g.remoteP50, 'ms')} = ${x(r(h.remoteP50, g.remoteP50))} (floor ${fmt(f.remoteP50, 'ms')}).`,
    `- Connect → first result ≤ 0.6× @gradio/client: ${ok(cold === undefined ? undefined : cold <= 0.6)} — ${fmt(h.cold, 'ms')} vs ${fmt(g.cold, 'ms')} = ${x(cold)} (requests per cold call: ${fmt(h.coldRequests, '', 1)} vs ${fmt(g.coldRequests, '', 1)}; /info: ${fmt(h.coldKinds.info, '', 1)} vs ${fmt(g.coldKinds.info, '', 1)}).`,
    `  The floor skips /config (it knows the fn index); alone, \`GET /config\` took ${fmt(configAlone, 'ms')} (60 requests through the same proxy, apart from the contenders' runs), so a client that must read it cannot do better than floor + /config = ${fmt(f.cold + configAlone, 'ms')}, ${x(r(f.cold + configAlone, g.cold))} of @gradio/client: ours is ${x(r(h.cold, f.cold + configAlone))} of that bound.`,
    `- Concurrency, one SSE connection for all jobs: ${ok(h.streams === undefined ? undefined : h.streams === 1)} — ${fmt(h.streams, '', 0)} session stream(s) for ${PLAN.concurrency.params.jobs} jobs (@gradio/client ${fmt(g.streams, '', 0)}, floor ${fmt(f.streams, '', 0)}); ${fmt(h.tcp, '', 0)} TCP connections in all (floor ${fmt(f.tcp, '', 0)}, @gradio/client ${fmt(g.tcp, '', 0)}).`,
    `- Concurrency, no per-job timers left behind: ${ok(h.timersLeft === undefined ? undefined : h.timersLeft <= 0)} — ${fmt(h.timersLeft, '', 0)} more active timers 100 ms after the burst than before it (${fmt(h.timersAfterClose, '', 0)} after close()).`,
    `- Streaming, CPU per message ≤ @gradio/client: ${ok(cpu === undefined ? undefined : cpu <= 1)} — ${fmt(h.cpuPerMsg, 'µs')} vs ${fmt(g.cpuPerMsg, 'µs')} = ${x(cpu)} (floor ${fmt(f.cpuPerMsg, 'µs')}).`,
    `  A chat streamed into a history (4b): ${fmt(h.chatCpuPerMsg, 'µs')} vs ${fmt(g.chatCpuPerMsg, 'µs')} = ${x(r(h.chatCpuPerMsg, g.chatCpuPerMsg))} (floor ${fmt(f.chatCpuPerMsg, 'µs')}, which applies no diff).`,
    `- Size, \`import { Client }\` ≤ 6 kB min+gzip: ${ok(size?.gzip === undefined ? undefined : size.gzip <= 6000)} — ${size?.gzip ? (size.gzip / 1000).toFixed(2) + ' kB' : 'n/a'} (@gradio/client: ${grSize?.gzip ? (grSize.gzip / 1000).toFixed(2) + ' kB' : 'n/a'}).`,
    react ? `- Size, React package own code ≤ 2.5 kB: ${ok(react.gzip === undefined ? undefined : react.gzip <= 2500)} — ${react.gzip ? (react.gzip / 1000).toFixed(2) + ' kB' : react.error}.` : '- Size, React package: packages/react/src/index.ts not found, not measured.',
    '',
  ];
  return lines.join('\n');
}

function renderDoc(tables, targets) {
  const cpu = os.cpus();
  const P = PLAN;
  return `# Benchmarks

Generated by \`pnpm bench\` (\`node bench/run.mjs\`) on ${new Date().toISOString().slice(0, 10)}; the whole run took ${elapsed.toFixed(0)} s${QUICK ? ' (**BENCH_QUICK smoke run: small counts, not representative**)' : ''}.
Results, not assertions: rerun the command to regenerate this file.

## Machine and versions

| | |
|---|---|
| CPU | ${cpu[0]?.model ?? 'unknown'} × ${cpu.length} cores |
| RAM | ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB |
| OS | ${os.type()} ${os.release()} (${os.arch()}) |
| Node | ${process.version} |
| Python | ${versions.python} |
| Gradio server | ${versions.gradio} (apps/gradio-server, one server for the whole run) |
| @gradio-hooks/client | ${versions.hooks} (workspace source, bundled with esbuild for Node) |
| @gradio/client | ${versions.gradioJs} |
| gradio_client (Python) | ${versions.gradioClientPy} |

## Method

- Four contenders against the same local server on 127.0.0.1: **@gradio-hooks/client**, **@gradio/client 2.7.0**,
  **gradio_client** (Python, the server's venv) and the **raw floor**: a minimal fetch + SSE script (POST
  \`/gradio_api/queue/join\`, GET \`/gradio_api/queue/data?session_hash=…\`, split \`data:\` lines, nothing else; it
  knows the fn index from the start, so its "connect" costs no request).
- The server runs with \`GRADIO_ANALYTICS_CACHE_FREQUENCY=1000000000\`: by default Gradio recomputes a pandas summary of
  up to 10,000 past events after every event, so the server's cost per call grows through a run (4.5 → 8 ms per
  \`/echo\` over 10,000 calls on this machine) and a contender measured later would pay for the earlier ones.
- Every scenario of every contender runs in a child process of its own (\`bench/worker.mjs\`, \`bench/py_worker.py\`),
  contenders interleaved, so RSS and CPU are the client's own.
- 1 (cold): in each of ${P.cold.procs} processes, ${P.cold.params.warmup} warm-up + ${P.cold.params.reps} times: a new client, connect, \`predict('/echo')\`, close; median per
  process, median over the processes.
  Runs through the counting proxy, which also counts the HTTP requests by kind.
- 2 (latency): one client, ${P.latency.params.warmup} warm-up calls, then ${P.latency.params.calls} sequential \`predict('/echo')\`; p50/p95 per
  process, median over ${P.latency.procs} processes. Direct connection (no proxy).
- 2b (remote): the same through a proxy that holds every chunk ${REMOTE_DELAY_MS} ms in each direction (a ${2 * REMOTE_DELAY_MS} ms round
  trip, as to a nearby remote server), ${P.remote.params.warmup} warm-up + ${P.remote.params.calls} calls, median over ${P.remote.procs} processes.
- 3 (concurrency): one client, ${P.concurrency.params.jobs} \`predict('/echo')\` at once (Python: \`submit\` × ${P.concurrency.params.jobs}, then \`result()\`;
  floor: all joins, then one session stream). Wall time; peak RSS = the kernel's high-water mark of the process
  (\`process.resourceUsage().maxRSS\`, also sampled from \`process.memoryUsage().rss\` every 5 ms; Python
  \`resource.getrusage().ru_maxrss\`); TCP connections = distinct connections seen by a counting TCP proxy in front of
  the server (includes the connect). Timers: \`process.getActiveResourcesInfo()\` Timeouts after minus before the burst.
  Median over ${P.concurrency.procs} processes.
- 4 (streaming): one client, a warm-up run of n=${P.stream.params.warmupN}, then ${P.stream.params.reps} runs of \`/many\` n=${P.stream.params.n} (iterating the outputs:
  hooks \`for await (… of job)\`, @gradio/client \`for await (… of submit())\` data events, Python \`for … in job\`);
  client CPU = \`process.cpuUsage()\` (user+system) / Python \`time.process_time()\` delta over the run, divided by the
  items received; time to the last item from submit. Median over the runs. Direct connection.
- 4b (chat): the same with \`/chat_stream\`: a reply of ${P.chat.params.args[1]} tokens streamed into a \`gr.Chatbot\` after ${P.chat.params.args[0]} earlier
  messages (warm-up: ${P.chat.params.warmupArgs[1]} tokens), ${P.chat.params.reps} runs. Each yield is the whole conversation; the server sends one append
  diff per token, and a client that applies diffs rebuilds the conversation's outputs for every token. The floor only
  counts the messages.
- 5 (size): \`export { Client } from '<package>'\`, esbuild bundle, minify, platform browser, ESM, es2022, gzip level 9.

## Results

${tables}
${targets}`;
}

async function bundleSizes() {
  const entries = [
    { key: 'hooks', name: "@gradio-hooks/client: export { Client }", code: "export { Client } from '@gradio-hooks/client';", budget: 6000 },
    { key: 'gradio', name: '@gradio/client 2.7.0: export { Client }', code: "export { Client } from '@gradio/client';" },
    {
      key: 'react', name: '@gradio-hooks/react: own code', budget: 2500, needs: 'packages/react/src/index.ts',
      code: "export { GradioProvider, useGradioClient, usePredict, useJob } from '@gradio-hooks/react';",
      external: ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query', '@gradio-hooks/client'],
    },
  ];
  const out = [];
  for (const e of entries) {
    if (e.needs && !(await readFile(path.join(ROOT, e.needs)).catch(() => null))) continue;
    try {
      const result = await build({
        stdin: { contents: e.code, resolveDir: HERE, loader: 'js' },
        bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'error',
        external: e.external ?? [],
        // (esbuild applies aliases before `external`: never alias a package that is meant to stay external)
        alias: Object.fromEntries(Object.entries({ '@gradio-hooks/client': 'packages/client/src/index.ts', '@gradio-hooks/react': 'packages/react/src/index.ts' })
          .filter(([k]) => !(e.external ?? []).includes(k)).map(([k, v]) => [k, path.join(ROOT, v)])),
        metafile: true,
      });
      const bytes = result.outputFiles[0].contents;
      // the biggest inputs (minified bytes in the output), to say where the size goes
      const top = Object.entries(Object.values(result.metafile.outputs)[0].inputs)
        .map(([file, { bytesInOutput }]) => [path.relative(ROOT, file).replace(/^node_modules\/\.pnpm\/[^/]+\/node_modules\//, ''), bytesInOutput])
        .sort((a, b) => b[1] - a[1]).slice(0, 6);
      out.push({ ...e, min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, top });
    } catch (err) {
      out.push({ ...e, error: String(err.message).split('\n')[0].slice(0, 120) });
    }
  }
  return out;
}

async function collectVersions() {
  const pkg = async (p) => JSON.parse(await readFile(p, 'utf8')).version;
  const py = await new Promise((resolve) => {
    const c = spawn(python, ['-c', 'import sys, gradio, gradio_client; print(sys.version.split()[0], gradio.__version__, gradio_client.__version__)'], {
      env: { ...process.env, GRADIO_ANALYTICS_ENABLED: 'False', HF_HUB_OFFLINE: '1' },
    });
    let s = '';
    c.stdout.on('data', (d) => (s += d));
    c.on('close', () => resolve(s.trim().split(/\s+/)));
  });
  return {
    python: py[0] ?? '?',
    gradio: py[1] ?? '?',
    gradioClientPy: py[2] ?? '?',
    hooks: await pkg(path.join(ROOT, 'packages/client/package.json')),
    gradioJs: await pkg(path.join(HERE, 'node_modules/@gradio/client/package.json')),
  };
}
