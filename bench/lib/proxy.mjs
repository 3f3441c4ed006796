// A counting TCP proxy on 127.0.0.1: every contender of the concurrency scenario talks to the Gradio
// server through it, so we can count the TCP connections it opened and (by peeking at the request
// lines it sends) the HTTP requests by kind, e.g. how many session streams (GET /queue/data).
import net from 'node:net';

const KINDS = [
  ['config', /^GET \/config\b/],
  ['info', /^GET [^ ]*\/info\b/],
  ['join', /^POST [^ ]*\/queue\/join\b/],
  ['stream', /^GET [^ ]*\/queue\/data\b/],
  ['heartbeat', /^GET [^ ]*\/heartbeat\//],
];

/**
 * @param {number} targetPort
 * @param {{ delayMs?: number }} [options] delayMs: hold every chunk this long in each direction (a
 *   simulated network: round trip = 2 × delayMs); order is kept.
 */
export async function startProxy(targetPort, { delayMs = 0 } = {}) {
  const targetHost = '127.0.0.1';
  const later = (fn) => (delayMs ? setTimeout(fn, delayMs) : fn());
  let stats = fresh();
  const sockets = new Set();
  const server = net.createServer((client) => {
    stats.connections++;
    stats.ports.add(client.remotePort);
    stats.open++;
    stats.peakOpen = Math.max(stats.peakOpen, stats.open);
    const s = stats;
    const upstream = net.connect(targetPort, targetHost);
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let tail = '';
    client.on('data', (buf) => {
      // request lines anywhere in what the client sends (our bodies are small JSON that never contains
      // one); keep a short tail so a request line split across two chunks is still seen, once
      const text = tail + buf.toString('latin1');
      for (const m of text.matchAll(/((?:GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH) \/\S* HTTP\/1\.[01])\r\n/g)) {
        if (m.index + m[0].length <= tail.length) continue; // already counted with the previous chunk
        s.requests++;
        const line = m[1];
        const kind = KINDS.find(([, re]) => re.test(line))?.[0] ?? 'other';
        s.byKind[kind] = (s.byKind[kind] ?? 0) + 1;
      }
      tail = text.slice(-200);
      later(() => upstream.writable && !upstream.write(buf) && client.pause());
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (buf) => {
      later(() => client.writable && !client.write(buf) && upstream.pause());
    });
    client.on('drain', () => upstream.resume());
    const done = () => {
      if (!sockets.has(client)) return;
      sockets.delete(client);
      sockets.delete(upstream);
      s.open--;
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => later(done)).on('error', done).on('end', () => later(() => upstream.end()));
    upstream.on('close', () => later(done)).on('error', done).on('end', () => later(() => client.end()));
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    /** Starts a new count and returns the previous one. */
    take() {
      const { ports, ...rest } = stats;
      stats = fresh();
      return { ...rest, distinctPorts: ports.size };
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

function fresh() {
  return { connections: 0, ports: new Set(), open: 0, peakOpen: 0, requests: 0, byKind: {} };
}
