import { describe, expect, it, vi } from 'vitest';
import { fakeServer, gradioUrl, json, subPathProxy } from '../test/helpers.js';
import { ArgumentError, CancelledError, Client, ConnectionError, duplicate, TimeoutError, waitForSpace } from './index.js';

describe('waitForSpace', () => {
  it('refuses times that are not milliseconds with an ArgumentError, before asking the Hub (an interval of NaN polled it in a loop)', async () => {
    const asked: string[] = [];
    const fetch = (input: RequestInfo | URL) => (asked.push(String(input)), Promise.reject(new Error('no request expected')));
    for (const [options, message] of [
      [{ interval: Number.NaN }, 'interval is NaN: give milliseconds > 0.'],
      [{ interval: 0 }, 'interval is 0: give milliseconds > 0.'],
      [{ maxWait: '1000' }, 'maxWait is "1000": give milliseconds ≥ 0 (0 or Infinity: no limit).'],
      [{ maxWait: -1 }, 'maxWait is -1: give milliseconds ≥ 0 (0 or Infinity: no limit).'],
      [{ timeout: -1 }, 'timeout is -1: give milliseconds ≥ 0 (0 or Infinity: no limit).'],
    ] as const) {
      await expect(waitForSpace('acme/calc', { ...(options as object), fetch })).rejects.toThrow(new ArgumentError(message));
    }
    await expect(duplicate('acme/calc', { token: 'hf_write', timeout: -1, fetch })).rejects.toThrow(new ArgumentError('timeout is -1: give milliseconds ≥ 0 (0 or Infinity: no limit).'));
    expect(asked).toEqual([]);
  });

  it('wakes a sleeping Space, follows its stages until it runs, and then the Space connects', async () => {
    // The Space: our Gradio server behind a proxy that answers 503 until the Space runs. The Hub
    // (faked: this machine cannot reach huggingface.co) says the Space sleeps until its host is
    // asked for a page, starts, and runs two looks later.
    let stage = 'SLEEPING';
    let wakes = 0;
    const space = await subPathProxy(gradioUrl(), '', { down: () => stage !== 'RUNNING' && ++wakes > 0 });
    let looks = 0;
    const hub = await fakeServer((req, res) => {
      const [, name, what] = /^\/api\/spaces\/acme\/(\w+)\/(host|runtime)$/.exec(req.url ?? '') ?? [];
      if (what === 'host') return json(res, 200, { host: space.url });
      if (name !== 'napper') return json(res, 200, { stage: name === 'broken' ? 'BUILD_ERROR' : 'BUILDING' });
      if (stage === 'SLEEPING' && wakes) stage = 'APP_STARTING';
      else if (stage === 'APP_STARTING' && ++looks === 2) stage = 'RUNNING';
      json(res, 200, { stage, hardware: { current: 'cpu-basic' } });
    });
    try {
      const seen: string[] = [];
      expect(await waitForSpace('acme/napper', { hubUrl: hub.url, interval: 10, onStage: (s) => seen.push(s) })).toBe('RUNNING');
      expect(seen).toEqual(['SLEEPING', 'APP_STARTING', 'RUNNING']);
      expect(wakes).toBe(1); // one request woke it
      const c = await Client.connect('acme/napper', { hubUrl: hub.url });
      expect(await c.predict('/echo', ['awake'])).toEqual(['awake']);
      c.close();

      const broken = await waitForSpace('acme/broken', { hubUrl: hub.url, interval: 10 }).catch((e: unknown) => e);
      expect(broken).toBeInstanceOf(ConnectionError);
      expect((broken as Error).message).toBe('The Space acme/broken is BUILD_ERROR and will not start by itself: its owner has to fix it.');
      const late = await waitForSpace('acme/builder', { hubUrl: hub.url, interval: 10, maxWait: 50 }).catch((e: unknown) => e);
      expect(late).toBeInstanceOf(TimeoutError);
      expect((late as Error).message).toBe('The Space acme/builder is still BUILDING after 0.05 s. Wait longer (maxWait), or check it on the Hub.');
      const stop = new AbortController();
      const waiting = waitForSpace('acme/builder', { hubUrl: hub.url, interval: 60_000, signal: stop.signal });
      setTimeout(() => stop.abort(), 50);
      await expect(waiting).rejects.toBeInstanceOf(CancelledError); // at once, not after the interval
    } finally {
      await Promise.all([hub.close(), space.close()]);
    }
  });

  it('wakes a private Space with the token, once however long it sleeps, and takes a RUNNING_ variant as running', async () => {
    // the Spaces proxy, which answers a sleeping Space's page; the Space sleeps three more looks after it
    const space = await fakeServer((_, res) => res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Space not running</h1>'));
    let looks = 0;
    const hub = await fakeServer((req, res) => {
      if (req.url === '/api/spaces/acme/private/host') return json(res, 200, { host: space.url });
      if (req.url !== '/api/spaces/acme/private/runtime') return json(res, 404, { error: 'Repository not found' });
      // it runs while a new version of it builds
      json(res, 200, { stage: space.requests.length && ++looks > 3 ? 'RUNNING_BUILDING' : 'SLEEPING' });
    });
    try {
      const seen: string[] = [];
      const stage = await waitForSpace('acme/private', { hubUrl: hub.url, token: 'hf_read', interval: 10, maxWait: 5_000, onStage: (s) => seen.push(s) });
      expect(stage).toBe('RUNNING_BUILDING');
      expect(seen).toEqual(['SLEEPING', 'RUNNING_BUILDING']);
      // the proxy lets through, and so wakes, only a request with the token of a private Space
      expect(space.requests.map((r) => [r.url, r.headers['x-hf-authorization']])).toEqual([['/config', 'Bearer hf_read']]);
      expect(hub.requests.every((r) => r.headers.authorization === 'Bearer hf_read')).toBe(true);
    } finally {
      await Promise.all([hub.close(), space.close()]);
    }
  });

  it('stops at an abort while the Hub or the Space has not answered (waitForSpace, connect, duplicate)', async () => {
    let woken = false;
    const hub = await fakeServer((req, res) => {
      if (req.url === '/api/spaces/acme/sleepy/runtime') return json(res, 200, { stage: 'SLEEPING' });
      if (req.url === '/api/spaces/acme/sleepy/host') return json(res, 200, { host: hub.url });
      if (req.url === '/config') woken = true; // the Space's proxy: never answers either
    });
    try {
      const calls = [
        (signal: AbortSignal) => waitForSpace('acme/calc', { hubUrl: hub.url, signal }),
        (signal: AbortSignal) => waitForSpace('acme/sleepy', { hubUrl: hub.url, signal }),
        (signal: AbortSignal) => Client.connect('acme/calc', { hubUrl: hub.url, signal }),
        (signal: AbortSignal) => duplicate('acme/calc', { hubUrl: hub.url, token: 'hf_x', signal }),
      ];
      for (const call of calls) {
        const stop = new AbortController();
        const outcome = call(stop.signal).catch((e: unknown) => e);
        await vi.waitFor(() => expect(hub.requests.length).toBeGreaterThan(0));
        await new Promise((r) => setTimeout(r, 50));
        stop.abort();
        expect(await outcome).toBeInstanceOf(CancelledError); // not a TimeoutError after 30 s
        hub.requests.length = 0;
      }
      expect(woken).toBe(true);
    } finally {
      await hub.close();
    }
  });

  it('takes a runtime answer without a stage for one that does not run yet, and looks again', async () => {
    let looks = 0;
    const hub = await fakeServer((_, res) => json(res, 200, ++looks < 3 ? { hardware: null } : { stage: 'RUNNING' }));
    try {
      const seen: string[] = [];
      expect(await waitForSpace('acme/calc', { hubUrl: hub.url, interval: 10, maxWait: 5_000, onStage: (s) => seen.push(s) })).toBe('RUNNING');
      expect(seen).toEqual(['UNKNOWN', 'RUNNING']);
      expect(looks).toBe(3);
    } finally {
      await hub.close();
    }
  });

  it("looks at the stage every 2 s by default, as Python's client does", async () => {
    vi.useFakeTimers();
    try {
      const asked: string[] = [];
      const hub: typeof fetch = async (input) => (asked.push(String(input)), new Response(JSON.stringify({ stage: 'BUILDING' }), { headers: { 'content-type': 'application/json' } }));
      const stop = new AbortController();
      const waiting = waitForSpace('acme/calc', { fetch: hub, signal: stop.signal }).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(1_999);
      expect(asked).toEqual(['https://huggingface.co/api/spaces/acme/calc/runtime']);
      await vi.advanceTimersByTimeAsync(1);
      expect(asked).toHaveLength(2);
      stop.abort();
      expect(await waiting).toBeInstanceOf(CancelledError);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each(['NO_APP_FILE', 'CONFIG_ERROR', 'DELETING'])('stops at once for a Space that is %s (its owner has to act)', async (stage) => {
    const hub = await fakeServer((_, res) => json(res, 200, { stage }));
    try {
      const error = await waitForSpace('acme/calc', { hubUrl: hub.url, interval: 10, maxWait: 5_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toBe(`The Space acme/calc is ${stage} and will not start by itself: its owner has to fix it.`);
      expect(hub.requests.map((r) => r.url)).toEqual(['/api/spaces/acme/calc/runtime']);
    } finally {
      await hub.close();
    }
  });
});
