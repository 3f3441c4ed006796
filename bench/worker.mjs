// One benchmark scenario for one Node contender, in its own process (so RSS and CPU are not mixed).
// Input: the BENCH_JOB environment variable (JSON). Output: one JSON line on stdout.
//   { contender: 'hooks' | 'gradio' | 'floor', scenario: 'cold' | 'latency' | 'concurrency' | 'stream',
//     url, hooksModule (bundled @gradio-hooks/client), fnIndex: { echo, many }, params: {...} }
import { performance } from 'node:perf_hooks';

const job = JSON.parse(process.env.BENCH_JOB);
const { url, params } = job;

// ---------------------------------------------------------------- contenders
// Each adapter: connect() → handle; predict(h, endpoint, args) → outputs; stream(h, endpoint, args, onItem) → items; close(h)

async function hooksAdapter() {
  const { Client } = await import(job.hooksModule);
  return {
    connect: () => Client.connect(url),
    predict: (c, ep, args) => c.predict(ep, args),
    async stream(c, endpoint, args, onItem) {
      let items = 0;
      for await (const _ of c.submit(endpoint, args)) (items++, onItem());
      return items;
    },
    close: (c) => c.close(),
    extra: (c) => ({ streamsOpened: c.streamsOpened }),
  };
}

async function gradioAdapter() {
  const { Client } = await import('@gradio/client');
  return {
    connect: () => Client.connect(url),
    predict: async (c, ep, args) => (await c.predict(ep, args)).data,
    async stream(c, endpoint, args, onItem) {
      let items = 0;
      for await (const msg of c.submit(endpoint, args)) {
        if (msg.type === 'data') (items++, onItem());
        else if (msg.type === 'status' && msg.stage === 'error') throw new Error(msg.message);
      }
      return items;
    },
    close: (c) => c.close(),
    extra: () => ({}),
  };
}

// The raw protocol floor: fetch + SSE and nothing else. The fn indexes come from the orchestrator
// (it read /config once), so a "connect" here costs no request at all.
function floorAdapter() {
  const api = `${url}/gradio_api`;
  const hash = () => Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  const join = async (session, fn, data) => {
    const res = await fetch(`${api}/queue/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data, fn_index: fn, session_hash: session }),
    });
    if (!res.ok) throw new Error(`join: HTTP ${res.status}`);
    return (await res.json()).event_id;
  };
  // reads the session stream, calling onMessage for each `data:` line; resolves as soon as onMessage returns
  // true, and keeps draining the stream (the server ends it with close_stream) so the connection is reused
  const read = (session, onMessage) =>
    new Promise((resolve, reject) => {
      (async () => {
        const res = await fetch(`${api}/queue/data?session_hash=${session}`);
        const decoder = new TextDecoder();
        let buf = '';
        let done = false;
        for await (const chunk of res.body) {
          buf += decoder.decode(chunk, { stream: true });
          const lines = buf.split('\n');
          buf = lines.pop();
          for (const line of lines) if (!done && line.startsWith('data:') && onMessage(JSON.parse(line.slice(5)))) (done = true, resolve());
        }
        if (!done) reject(new Error('the session stream ended early'));
      })().catch(reject);
    });
  const fn = (ep) => job.fnIndex[ep.replace(/^\//, '')];
  return {
    connect: async () => ({ session: hash() }),
    async predict(c, ep, args) {
      const id = await join(c.session, fn(ep), args);
      let out;
      await read(c.session, (m) => m.event_id === id && m.msg === 'process_completed' && (out = m.output.data));
      return out;
    },
    async stream(c, endpoint, args, onItem) {
      const id = await join(c.session, fn(endpoint), args);
      let items = 0;
      await read(c.session, (m) => {
        if (m.event_id !== id) return false;
        if (m.msg === 'process_generating') (items++, onItem());
        return m.msg === 'process_completed';
      });
      return items;
    },
    // many concurrent jobs of one session: all joins, then the one session stream for all of them
    async predictMany(c, ep, argsList) {
      const ids = await Promise.all(argsList.map((a) => join(c.session, fn(ep), a)));
      const want = new Map(ids.map((id, i) => [id, i]));
      const out = new Array(ids.length);
      let left = ids.length;
      await read(c.session, (m) => {
        if (m.msg !== 'process_completed' || !want.has(m.event_id)) return false;
        out[want.get(m.event_id)] = m.output.data;
        return --left === 0;
      });
      return out;
    },
    close() {},
    extra: () => ({}),
  };
}

// ---------------------------------------------------------------- helpers
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const activeTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- scenarios
const scenarios = {
  // 1. connect → first result on /echo, a new client each time
  async cold(a) {
    const samples = [];
    for (let i = 0; i < params.warmup + params.reps; i++) {
      const t0 = performance.now();
      const c = await a.connect();
      const [out] = await a.predict(c, '/echo', [`cold ${i}`]);
      const ms = performance.now() - t0;
      if (out !== `cold ${i}`) throw new Error(`wrong echo: ${JSON.stringify(out)}`);
      a.close(c);
      if (i >= params.warmup) samples.push(ms);
    }
    return { samples, median: median(samples) };
  },

  // 2. sequential predict latency on one client
  async latency(a) {
    const c = await a.connect();
    for (let i = 0; i < params.warmup; i++) await a.predict(c, '/echo', ['warm']);
    const samples = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < params.calls; i++) {
      const t0 = performance.now();
      const [out] = await a.predict(c, '/echo', [`seq ${i}`]);
      samples.push(performance.now() - t0);
      if (out !== `seq ${i}`) throw new Error(`wrong echo: ${JSON.stringify(out)}`);
    }
    const cpu = process.cpuUsage(cpu0);
    const extra = a.extra(c);
    a.close(c);
    return { cpuMsPerCall: (cpu.user + cpu.system) / 1000 / params.calls, p50: pct(samples, 50), p95: pct(samples, 95), mean: samples.reduce((x, y) => x + y, 0) / samples.length, ...extra };
  },

  // 3. many concurrent jobs on one client
  async concurrency(a) {
    const c = await a.connect();
    for (let i = 0; i < params.warmup; i++) await a.predict(c, '/echo', ['warm']);
    await sleep(50);
    const timersBefore = activeTimers();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const args = Array.from({ length: params.jobs }, (_, i) => [`job ${i}`]);
    const t0 = performance.now();
    const outs = a.predictMany ? await a.predictMany(c, '/echo', args) : await Promise.all(args.map((x) => a.predict(c, '/echo', x)));
    const wallMs = performance.now() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const bad = outs.filter((o, i) => o?.[0] !== `job ${i}`).length;
    if (bad) throw new Error(`${bad} wrong results`);
    await sleep(100);
    const timersAfter = activeTimers();
    const extra = a.extra(c);
    a.close(c);
    await sleep(50);
    return {
      wallMs,
      peakRssMB: peak / 2 ** 20,
      maxRssMB: (process.resourceUsage().maxRSS * 1024) / 2 ** 20, // kernel high-water mark of the whole process
      rssBeforeMB: rssBefore / 2 ** 20,
      timersBefore,
      timersAfter,
      timersAfterClose: activeTimers(),
      ...extra,
    };
  },

  // 4. a generator yielding n small items (/many), or another generator (params.endpoint, params.args)
  async stream(a) {
    const { endpoint = '/many', args = [params.n], warmupArgs = [params.warmupN] } = params;
    const c = await a.connect();
    await a.stream(c, endpoint, warmupArgs, () => {});
    const runs = [];
    for (let r = 0; r < params.reps; r++) {
      let last = 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const items = await a.stream(c, endpoint, args, () => (last = performance.now()));
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      runs.push({ items, cpuMs, cpuUsPerMsg: (cpuMs * 1000) / items, lastItemMs: last - t0, totalMs: performance.now() - t0 });
    }
    a.close(c);
    return {
      runs,
      items: median(runs.map((r) => r.items)),
      cpuUsPerMsg: median(runs.map((r) => r.cpuUsPerMsg)),
      cpuMs: median(runs.map((r) => r.cpuMs)),
      lastItemMs: median(runs.map((r) => r.lastItemMs)),
    };
  },
};

const adapters = { hooks: hooksAdapter, gradio: gradioAdapter, floor: floorAdapter };
const timeout = setTimeout(() => {
  console.error(`worker timeout after ${params.timeoutMs} ms`);
  process.exit(3);
}, params.timeoutMs ?? 120_000);
timeout.unref();
try {
  const adapter = await adapters[job.contender]();
  const result = await scenarios[job.scenario](adapter);
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
} catch (e) {
  console.error(e?.stack ?? e);
  process.exit(2);
}
