import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inject, onTestFinished } from 'vitest';
import { atLeast } from '../src/client.js';
// @ts-expect-error plain ESM helper without types
import { startServer as start } from '../../../apps/gradio-server/server.mjs';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const gradioUrl = () => inject('gradioUrl');
export const gradioVersion = () => inject('gradioVersion');
/** Whether the server renders on the server (SSR), as Spaces run it. */
export const ssr = () => inject('gradioSsr');
export const major = () => Number(gradioVersion().split('.')[0]);
/** Whether the test server's Gradio is at least `major.minor`. */
export const since = (major: number, minor: number) => atLeast(gradioVersion(), major, minor);

/** A new folder in the system's temporary one, removed with all it holds when the test ends. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gradio-hooks-test-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface GradioServer { url: string; pid: number; stop(): Promise<void> }

/** Starts a private Gradio server of the version under test (auth, small queue, or one to kill). */
export function startGradio(options: { auth?: [string, string]; maxQueue?: number } = {}): Promise<GradioServer> {
  return start({ version: gradioVersion(), ssr: ssr(), ...options }) as Promise<GradioServer>;
}

/** The Python of the server's venv (its `gradio_client` is the reference client). */
export const python = (version = gradioVersion()) => `${root}apps/gradio-server/.venv/${version}/bin/python`;

export async function runPython(code: string, version?: string): Promise<string> {
  const { stdout } = await promisify(execFile)(python(version), ['-c', code], { timeout: 120_000, env: { ...process.env, HF_HUB_OFFLINE: '1', GRADIO_ANALYTICS_ENABLED: 'False' } });
  return stdout;
}

export interface FakeServer { url: string; requests: { method: string; url: string; body: string; headers: IncomingMessage['headers'] }[]; close(): Promise<void> }

/** A throwaway HTTP server on 127.0.0.1 (a fake Hub, an HTML page that is not Gradio, …). */
export async function fakeServer(handler: (req: IncomingMessage & { body: string }, res: ServerResponse) => void): Promise<FakeServer> {
  const requests: FakeServer['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
      handler(Object.assign(req, { body }), res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

export const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** Resolves once `predicate` holds for the job's snapshot (checked on every change). */
export function until<T>(job: { subscribe(l: () => void): () => void; getSnapshot(): T }, predicate: (s: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const check = () => {
      const s = job.getSnapshot();
      if (predicate(s)) {
        stop();
        resolve(s);
      }
    };
    const stop = job.subscribe(check);
    check();
  });
}

/**
 * A reverse proxy on 127.0.0.1 that serves `target` under the path `prefix` (responses streamed,
 * so SSE passes through), as a Gradio app mounted behind a sub-path would be seen. While `down()`
 * says so it answers 503 instead, as the Spaces proxy does for a Space that is not running.
 */
export async function subPathProxy(
  target: string,
  prefix: string,
  {
    bytesPerSecond,
    stalled,
    disconnectAfter,
    down,
    moved,
    gate,
    untyped,
  }: { bytesPerSecond?: number; stalled?: () => boolean; disconnectAfter?: number; down?: () => boolean; moved?: boolean; gate?: boolean; untyped?: boolean } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const { request } = await import('node:http');
  const { PassThrough, Transform } = await import('node:stream');
  // a slow link: each chunk of a body (either way) is passed on after the time it takes at that rate;
  // a stalled one drops every chunk while `stalled()` says so, keeping the connections open
  const link = (answer: boolean) =>
    bytesPerSecond || stalled
      ? new Transform({
          transform: (chunk: Buffer, _, done) =>
            stalled?.() ? done() : void setTimeout(() => done(null, chunk), (chunk.length / (bytesPerSecond ?? Infinity)) * 1000),
          // nor does an answer's end: the connection stays open, with nothing on it
          flush: (done) => void ((answer && stalled?.()) || done()),
        })
      : new PassThrough();
  const server = createServer((req, res) => {
    if (down?.()) {
      res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Space not running</h1>'); // what the Spaces proxy serves then
      return;
    }
    // `gate`: a gateway that lets through only requests with its session cookie, and pins each
    // client to a server with a cookie of its own (a load balancer's), as many in front of apps do
    if (gate && !/(^|;\s*)gate=open(;|$)/.test(req.headers.cookie ?? '')) {
      res.writeHead(401, { 'content-type': 'text/html' }).end('<title>Sign in to the gateway</title>');
      return;
    }
    if (gate) res.setHeader('set-cookie', 'lb=server1; Path=/');
    if (!req.url?.startsWith(prefix + '/')) {
      // `moved`: the app moved under the prefix, and the proxy says so
      if (moved) res.writeHead(301, { location: `${prefix}${req.url}` }).end();
      else res.writeHead(404).end('outside the mounted path');
      return;
    }
    const upstream = request(target + req.url.slice(prefix.length), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (up) => {
      const headers = { ...up.headers };
      if (gate) headers['set-cookie'] = [...(headers['set-cookie'] ?? []), 'lb=server1; Path=/'];
      if (untyped) delete headers['content-type']; // `untyped`: a proxy that drops the answers' types
      res.writeHead(up.statusCode ?? 502, headers).flushHeaders(); // the status and headers go at once
      up.pipe(link(true)).pipe(res);
    });
    upstream.on('error', () => res.destroy());
    // a client that hangs up reaches the server this much later (without the option, never)
    if (disconnectAfter !== undefined) res.on('close', () => void (res.writableFinished || setTimeout(() => upstream.destroy(), disconnectAfter)));
    req.pipe(link(false)).pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
  return { url, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
