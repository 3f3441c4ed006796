import { describe, expect, it } from 'vitest';
import { fakeServer, gradioUrl, json, subPathProxy } from '../test/helpers.js';
import { CancelledError, Client, ConnectionError, TimeoutError, waitForSpace } from './index.js';

describe('waitForSpace', () => {
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
});
