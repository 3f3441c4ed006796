// The protocol end to end, in calls that every release takes (positional arguments: Gradio before
// 4.23 does not name parameters). `npm test` runs this file on the releases of the older protocols
// too: 4.15.0 (sse_v1, no diffs), 4.20.1 (sse_v2) and 4.21.0 (sse_v2.1), besides the sse_v3 ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradioUrl, gradioVersion, root, runPython, since, until } from '../test/helpers.js';
import { AppError, ArgumentError, Client, handleFile, type Job } from './index.js';

const PROTOCOLS: [string, string][] = [
  ['4.22', 'sse_v3'],
  ['4.21', 'sse_v2.1'],
  ['4.17', 'sse_v2'],
  ['4.9', 'sse_v1'],
];

let client: Client;
beforeAll(async () => {
  client = await Client.connect(gradioUrl());
});
afterAll(() => client.close());

describe(`session stream on gradio ${gradioVersion()}`, () => {
  it('speaks the protocol of its release', () => {
    const [mj, mn] = gradioVersion().split('.').map(Number) as [number, number];
    const expected = PROTOCOLS.find(([at]) => {
      const [a, b] = at.split('.').map(Number) as [number, number];
      return mj > a || (mj === a && mn >= b);
    })?.[1];
    expect(client.config.protocol).toBe(expected);
  });

  it('calls an endpoint and refuses what it cannot send', async () => {
    expect(await client.predict('/calculate', [6, 3, 'divide'])).toEqual([2]);
    const keywords = client.predict('/calculate', { a: 1, b: 2 });
    if (since(4, 23)) expect(await keywords).toEqual([3]);
    else await expect(keywords).rejects.toThrow('/calculate has no parameter "a". The server names none: pass an array, in order.');
  });

  it("gives every yield of a generator, diffs applied, equal to what the app yielded", async () => {
    const count = client.submit<[number]>('/count', [4, 0.02]);
    const seen: number[] = [];
    for await (const [n] of count) seen.push(n);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(await count.result()).toEqual([4]);

    const shape = client.submit<[unknown]>('/shape_shift', [6]);
    await shape.result();
    const yielded = JSON.parse(
      await runPython(`import sys, json; sys.path.insert(0, ${JSON.stringify(`${root}apps/gradio-server`)}); import app; print(json.dumps(app.shape_shift_sequence(6)))`),
    ) as unknown[];
    expect(shape.outputs().map(([v]) => v)).toEqual(yielded);
  });

  it('reports queue ranks, progress and logs', async () => {
    const jobs: Job<[string]>[] = [];
    for (const label of ['a', 'b', 'c']) {
      const job = client.submit<[string]>('/slow', [label, 0.4]);
      await until(job, (s) => s.eventId !== null);
      jobs.push(job);
    }
    const ranks: number[] = [];
    let progress = 0;
    jobs[2]!.subscribe(() => {
      const { rank, progress: p } = jobs[2]!.status();
      if (rank !== null && ranks.at(-1) !== rank) ranks.push(rank);
      if (p?.length) progress++;
    });
    expect(await Promise.all(jobs.map((j) => j.result()))).toEqual([['done a'], ['done b'], ['done c']]);
    expect(ranks.at(-1)).toBe(0);
    expect(ranks).toEqual([...ranks].sort((x, y) => y - x));
    expect(progress).toBeGreaterThan(0);

    const logs = client.submit('/logs', ['hey']);
    await logs.result();
    expect(logs.getSnapshot().logs.map((l) => [l.level, l.message])).toEqual([
      ['info', 'info: hey'],
      ['warning', 'warning: hey'],
    ]);
  });

  it("surfaces gr.Error's message as an AppError", async () => {
    const error = await client.predict('/fail', ['the model is tired']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe('the model is tired');
  });

  it('cancels a queued job and a running generator', async () => {
    const running = client.submit<[string]>('/slow', ['first', 0.6]);
    const queued = client.submit<[string]>('/slow', ['second', 0.6]);
    await until(queued, (s) => s.status.code === 'IN_QUEUE');
    expect(await queued.cancel()).toBe(true);
    expect(queued.status().code).toBe('CANCELLED');
    expect(await running.result()).toEqual(['done first']);

    const gen = client.submit<[number]>('/count', [50, 0.05]);
    await until(gen, (s) => s.outputs.length >= 2);
    expect(await gen.cancel()).toBe(true);
    expect(gen.status().code).toBe('CANCELLED');
    expect(gen.outputs().length).toBeLessThan(50);
  });

  it("loses no call of the session when a call's cancel reaches the server twice (Gradio 4.31–5.45 break the stream over the call's second completion)", async () => {
    // A cancel that races a call's own end makes Gradio complete the call twice; two cancels of
    // one call (sent at once, as a double click in two tabs would) do it every time.
    const other = client.submit<[string]>('/slow', ['other', 0.6]);
    const gen = client.submit<[number]>('/count', [50, 0.05]);
    await until(gen, (s) => s.outputs.length >= 2);
    const body = JSON.stringify({ event_id: gen.eventId, fn_index: client.config.dependencies.findIndex((d) => d.api_name === 'count'), session_hash: client.sessionHash });
    const cancel = () => fetch(`${client.url}${client.apiPrefix}/cancel`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await Promise.all([cancel(), cancel()]); // (Gradio ≥ 5 may answer the second with a 500)
    expect(await other.result()).toEqual(['done other']);
    await gen.cancel(); // ended already where the server says it cancelled it (from Gradio 4.31)
    expect(gen.status().code).toBe('CANCELLED');
    expect(await client.predict('/count', [2, 0])).toEqual([2]);
  });

  it('keeps gr.State in its session and starts over after resetSession()', async () => {
    const c = await Client.connect(gradioUrl());
    expect(await c.predict('/increment', [2])).toEqual([2]);
    expect(await c.predict('/increment', [3])).toEqual([5]);
    c.resetSession();
    expect(await c.predict('/increment', [1])).toEqual([1]);
    c.close();
  });

  it('refuses a second client calling in a session another client of this process is using; they can take turns', async () => {
    // Gradio gives each message of a session to one of the session's streams: two at once would
    // lose messages and their order, and the calls would wait for ever
    const sessionHash = `shared${Date.now()}`;
    const [a, b] = await Promise.all([Client.connect(gradioUrl(), { sessionHash }), Client.connect(gradioUrl(), { sessionHash })]);
    try {
      const running = a.submit<[number]>('/count', [5, 0.05]);
      await until(running, (s) => s.eventId !== null);
      const refused = await b.predict('/echo', ['b']).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ArgumentError);
      expect((refused as Error).message).toMatch(/^Another client calls in session "shared\d+" at http/);
      expect(await running.result()).toEqual([5]);
      // a's stream reads until the server's close_stream, a moment after its last result: b's call
      // waits for that, so they take turns, and share the session's gr.State (a refused call
      // changes nothing: it never joined)
      let total = 0;
      for (let i = 1; i <= 8; i++) expect(await (i % 2 ? b : a).predict('/increment', [i])).toEqual([(total += i)]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses a second client also while the first has joined a call whose stream is not open yet (a run of joins)', async () => {
    const sessionHash = `shared${Date.now()}`;
    const [a, b] = await Promise.all([Client.connect(gradioUrl(), { sessionHash }), Client.connect(gradioUrl(), { sessionHash })]);
    try {
      const many = a.submit<[number]>('/many', [300]); // in order: Gradio < 4.22 names no parameters
      const now = a.submit<[string]>('/echo_now', ['x', 0.5]); // a queue=False call right behind it: a opens its stream once it answers
      await until(many, (s) => s.eventId !== null);
      await expect(b.predict('/echo', ['b'])).rejects.toBeInstanceOf(ArgumentError);
      expect(await now.result()).toEqual(['x']);
      expect(await many.result()).toEqual([300]);
      expect(many.outputs()).toEqual(Array.from({ length: 300 }, (_, i) => [i + 1])); // none went to b's stream
    } finally {
      a.close();
      b.close();
    }
  });

  it('uploads a file and gets it back with its name', async () => {
    const [file] = await client.predict<[{ orig_name?: string; url: string }]>('/echo_file', [handleFile(new File(['hello there'], 'note.txt', { type: 'text/plain' }))]);
    expect(file.url.startsWith(gradioUrl())).toBe(true);
    expect(await (await fetch(file.url)).text()).toBe('hello there');
    expect(file.orig_name ?? decodeURIComponent(file.url.split('/').at(-1)!)).toBe('note.txt');
  });

  it('reads the results after stream requests that failed before the server answered (a proxy 502, a reset): the server kept them', async () => {
    const failures = [
      () => new Response('<title>502 Bad Gateway</title>', { status: 502, headers: { 'content-type': 'text/html' } }),
      () => Promise.reject(new TypeError('fetch failed')),
    ];
    const c = await Client.connect(gradioUrl(), {
      fetch: async (url, init) => (String(url).includes('/queue/data') && failures.length ? failures.shift()!() : fetch(url, init)),
    });
    try {
      expect(await Promise.all([1, 2, 3].map((i) => c.predict('/calculate', [i, 10, 'add'])))).toEqual([[11], [12], [13]]);
      expect(failures).toEqual([]);
    } finally {
      c.close();
    }
  });

  it('carries 50 concurrent jobs over one session stream', async () => {
    const c = await Client.connect(gradioUrl());
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => c.predict<[string]>('/echo', [`m${i}`])));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => [`m${i}`]));
    expect(c.streamsOpened).toBe(1);
    c.close();
  });
});
