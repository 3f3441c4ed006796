import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gradioUrl, root, runPython, since, startGradio, subPathProxy, tempDir, until } from '../test/helpers.js';
import { ArgumentError, CancelledError, Client, ConnectionLostError, handleFile, PredictObserver, QueueFullError, TimeoutError, type FileData, type Job, type JobEvent, type JobSnapshot, type StatusCode } from './index.js';

let client: Client;
beforeAll(async () => {
  client = await Client.connect(gradioUrl());
});
afterAll(() => client.close());

/** The names of the warnings Node emits while `run` uses a client of its own. */
async function warningsDuring(run: (c: Client) => Promise<void>): Promise<string[]> {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => void warnings.push(w);
  process.on('warning', onWarning);
  const c = await Client.connect(gradioUrl());
  try {
    await run(c);
    await new Promise((r) => setTimeout(r, 10)); // warnings are emitted on the next tick
  } finally {
    process.off('warning', onWarning);
    c.close();
  }
  return warnings.map((w) => w.name);
}

describe('queue', () => {
  it('reports decreasing ranks and the queue size of three queued jobs', async () => {
    // joined one after the other, so that the queue order is known
    const jobs: Job<[string]>[] = [];
    for (const label of ['a', 'b', 'c']) {
      const job = client.submit<[string]>('/slow', { label, seconds: 0.6 });
      await until(job, (s) => s.eventId !== null);
      jobs.push(job);
    }
    expect(await Promise.all(jobs.map((j) => j.result()))).toEqual([['done a'], ['done b'], ['done c']]);
    // every status the third job went through, replayed from its history
    const ranks: number[] = [];
    const sizes: number[] = [];
    for await (const e of jobs[2]!.events()) {
      if (e.type === 'status' && e.status.code === 'IN_QUEUE' && e.status.rank !== null && ranks.at(-1) !== e.status.rank) {
        ranks.push(e.status.rank);
        sizes.push(e.status.queueSize!);
      }
    }
    expect(ranks.length).toBeGreaterThanOrEqual(2);
    expect(ranks).toEqual([...ranks].sort((x, y) => y - x));
    expect(ranks.at(-1)).toBe(0);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(2);
    const codes = jobs[2]!.getSnapshot();
    expect(codes.stage).toBe('success');
  });

  it('joins the queue in the order the jobs were submitted', async () => {
    // the network delays the first join: it must still be the first in the queue
    let joins = 0;
    const slowFirstJoin: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/queue/join') && joins++ === 0) await new Promise((r) => setTimeout(r, 300));
      return fetch(input, init);
    };
    const c = await Client.connect(gradioUrl(), { fetch: slowFirstJoin });
    const finished: string[] = [];
    const labels = ['a', 'b', 'c', 'd', 'e'];
    await Promise.all(labels.map((label) => c.submit<[string]>('/slow', { label, seconds: 0.1 }).result().then(([out]) => finished.push(out))));
    expect(finished).toEqual(labels.map((l) => `done ${l}`));
    c.close();
  });

  it('keeps that order when a call between them fails before joining (an argument JSON cannot carry)', async () => {
    // a slow /info holds the first call back: the third, ready at once, must still join after it
    const slowInfo: typeof fetch = async (input, init) => {
      if (String(input).includes('/info')) await new Promise((r) => setTimeout(r, 300));
      return fetch(input, init);
    };
    const c = await Client.connect(gradioUrl(), { fetch: slowInfo });
    try {
      const finished: string[] = [];
      const first = c.submit<[string]>('/slow', { label: 'first', seconds: 0.3 }); // keyword arguments: it reads /info first
      const middle = c.submit('/echo', [Number.NaN]); // refused after its turn came, before joining
      const third = c.submit<[string]>('/slow', ['third', 0.3]); // positional: ready at once
      await Promise.all([first, third].map((j) => j.result().then(([out]) => finished.push(out))));
      await expect(middle.result()).rejects.toBeInstanceOf(ArgumentError);
      expect(finished).toEqual(['done first', 'done third']);
    } finally {
      c.close();
    }
  });

  it('turns a full queue (HTTP 503) into a QueueFullError', async () => {
    const server = await startGradio({ maxQueue: 1 });
    const c = await Client.connect(server.url);
    try {
      const jobs = [0, 1, 2, 3].map((i) => c.submit('/slow', { label: String(i), seconds: 1 }));
      const results = await Promise.allSettled(jobs.map((j) => j.result()));
      const rejected = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as Error);
      expect(rejected.length).toBeGreaterThan(0);
      expect(rejected.every((e) => e instanceof QueueFullError)).toBe(true);
      expect(rejected[0]!.message).toMatch(/[Qq]ueue is full/);
      expect(jobs.some((j) => j.status().code === 'QUEUE_FULL')).toBe(true);
    } finally {
      c.close();
      await server.stop();
    }
  });
});

describe('progress and logs', () => {
  it('receives gr.Progress updates while running', async () => {
    const job = client.submit('/slow', { label: 'p', seconds: 0.5 });
    const seen: JobSnapshot<unknown[]>['progress'][] = [];
    job.subscribe(() => {
      const s = job.getSnapshot();
      if (s.progress && s.progress !== seen.at(-1)) seen.push(s.progress);
    });
    await job.result();
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)![0]).toMatchObject({ desc: expect.stringMatching(/^step \d+$/) });
    const events: StatusCode[] = [];
    for await (const e of job.events()) if (e.type === 'status') events.push(e.status.code);
    expect(events).toContain('PROGRESS');
    expect(events.indexOf('PROCESSING')).toBeLessThan(events.indexOf('PROGRESS'));
    expect(events.at(-1)).toBe('FINISHED');
  });

  it('receives gr.Info and gr.Warning logs with their levels', async () => {
    const job = client.submit('/logs', { message: 'hey' });
    expect(await job.result()).toEqual(['hey']);
    const { logs } = job.getSnapshot();
    expect(logs.map((l) => [l.level, l.message])).toEqual([['info', 'info: hey'], ['warning', 'warning: hey']]);
  });
});

describe('generators', () => {
  it('yields every output of a counter, in order, and the final result', async () => {
    const job = client.submit<[number]>('/count', { n: 6, delay: 0.02 });
    const streamed: [number][] = [];
    for await (const out of job) streamed.push(out);
    expect(streamed).toEqual([[1], [2], [3], [4], [5], [6]]);
    expect(job.outputs()).toEqual(streamed);
    expect(await job.result()).toEqual([6]);
    expect(job.status().code).toBe('FINISHED');
  });

  it("reports streaming to PredictObserver's onStatus when a generator's yields come in one chunk with its end", async () => {
    // the stream's messages held back until the call's end, then given all at once (a busy link or thread)
    let held = '';
    const decoder = new TextDecoder();
    const c = await Client.connect(gradioUrl(), {
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (!String(url).includes('/queue/data') || !res.body) return res;
        const hold = new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, out) {
            held += decoder.decode(chunk, { stream: true });
            if (held.includes('"process_completed"')) out.enqueue(new TextEncoder().encode(held)), (held = '');
          },
        });
        return new Response(res.body.pipeThrough(hold), res);
      },
    });
    const statuses: string[] = [];
    const caller = new PredictObserver<[number]>();
    caller.client = c;
    caller.endpoint = '/count';
    caller.options = { onStatus: (s) => statuses.push(s) };
    const job = caller.submit({ n: 3, delay: 0.02 });
    expect(await job.result()).toEqual([3]);
    expect(job.outputs()).toEqual([[1], [2], [3]]);
    expect(statuses).toEqual(['queued', 'running', 'streaming', 'success']);
    c.close();
  });

  it('applies append diffs of a growing text stream', async () => {
    const job = client.submit<[string]>('/stream_text', { prompt: 'Once', n_tokens: 12, delay: 0.01 });
    await job.result();
    const expected = JSON.parse(
      await runPython(`import sys, json; sys.path.insert(0, ${JSON.stringify(root + 'apps/gradio-server')}); import app; print(json.dumps(app.stream_text_sequence("Once", 12)))`),
    ) as string[];
    expect(job.outputs().map(([t]) => t)).toEqual(expected);
  });

  it('applies add/delete/replace diffs of a changing shape, matching what the server yielded', async () => {
    const job = client.submit<[unknown]>('/shape_shift', { steps: 6 });
    await job.result();
    const expected = JSON.parse(
      await runPython(`import sys, json; sys.path.insert(0, ${JSON.stringify(root + 'apps/gradio-server')}); import app; print(json.dumps(app.shape_shift_sequence(6)))`),
    ) as unknown[];
    expect(job.outputs().map(([v]) => v)).toEqual(expected);
    // What a diff leaves unchanged keeps its object (a memoized component of it skips the render):
    // frame 3 appends to grid[0], so grid[1] is frame 2's. The result is the last yield's objects.
    const outs = job.outputs() as unknown as [{ grid: unknown[] }][];
    expect(outs[3]![0].grid[1]).toBe(outs[2]![0].grid[1]);
    expect(outs[3]![0].grid[0]).not.toBe(outs[2]![0].grid[0]);
    expect(await job.result()).toBe(outs[5]);
  });

  it('streams a chat: the earlier messages keep their objects from yield to yield, the reply grows', async () => {
    const job = client.submit<[unknown[]]>('/chat_stream', { history: 6, tokens: 5 });
    const outs: [unknown[]][] = [];
    for await (const out of job) outs.push(out);
    expect(outs).toHaveLength(5);
    const [first, last] = [outs[0]![0], outs[4]![0]];
    expect(last).toHaveLength(first.length);
    expect(JSON.stringify(last.at(-1))).toMatch(/token0 token1 token2 token3 token4 /);
    for (const [chat] of outs.slice(1)) {
      expect(chat.slice(0, -1).every((m, i) => m === first[i])).toBe(true); // the same objects
      expect(chat.at(-1)).not.toBe(first.at(-1));
    }
    expect(await job.result()).toBe(outs[4]);
  });

  it('iterates status and data events in order', async () => {
    const events: JobEvent<unknown[]>[] = [];
    for await (const e of client.submit('/count', { n: 2, delay: 0 }).events()) events.push(e);
    const kinds = events.map((e) => (e.type === 'data' ? `data${e.final ? '!' : ''}` : e.status.code));
    expect(kinds.slice(0, 3)).toEqual(['STARTING', 'JOINING_QUEUE', 'IN_QUEUE']);
    expect(kinds.filter((k) => k.startsWith('data'))).toEqual(['data', 'data', 'data!']);
    expect(kinds.at(-1)).toBe('FINISHED');
  });
});

describe('cancel', () => {
  it('cancels a queued job: taken out of the queue on Gradio ≥ 6.14, stopped as it starts on older servers', async () => {
    const other = await Client.connect(gradioUrl());
    const queueSize = async () => ((await (await fetch(`${client.url}${client.apiPrefix}/queue/status`)).json()) as { queue_size: number }).queue_size;
    const running = client.submit('/slow', { label: 'running', seconds: 1.5 });
    await until(running, (s) => s.stage === 'running');
    const victim = other.submit('/slow', { label: 'victim', seconds: 1 });
    await until(victim, (s) => s.queue.position === 0);
    expect(await queueSize()).toBe(1);
    expect(await victim.cancel()).toBe(true);
    expect(victim.status().code).toBe('CANCELLED');
    await expect(victim.result()).rejects.toBeInstanceOf(CancelledError);
    if (since(6, 14)) {
      expect(await queueSize()).toBe(0);
    } else {
      // Older servers keep the event queued; the client cancels it the moment it starts.
      expect(await queueSize()).toBe(1);
    }
    expect(await running.result()).toEqual(['done running']);
    await expect.poll(queueSize, { timeout: 10_000 }).toBe(0);
    other.close();
  });

  it('replaces a queued call (cancel it, submit the next at once): it leaves the queue at once on Gradio ≥ 6.14, and the next one runs', async () => {
    const other = await Client.connect(gradioUrl());
    const queueSize = async () => ((await (await fetch(`${client.url}${client.apiPrefix}/queue/status`)).json()) as { queue_size: number }).queue_size;
    const running = client.submit('/slow', { label: 'running', seconds: 1 });
    await until(running, (s) => s.stage === 'running');
    const replaced = other.submit('/slow', { label: 'replaced', seconds: 0.2 });
    await until(replaced, (s) => s.queue.position === 0);
    const next = other.submit('/slow', { label: 'next', seconds: 0.2 }); // not joined yet
    expect(await replaced.cancel()).toBe(true);
    await until(next, (s) => s.eventId !== null);
    // the next call joined after the cancel was answered; on ≥ 6.14 the replaced one had left
    expect(await queueSize()).toBe(since(6, 14) ? 1 : 2);
    expect(await next.result()).toEqual(['done next']);
    expect(await running.result()).toEqual(['done running']);
    other.close();
  });

  it('cancels a job queued behind a running call of the same endpoint in its session without stopping that call', async () => {
    const first = client.submit('/slow', { label: 'first', seconds: 1 });
    const queued = client.submit('/slow', { label: 'queued', seconds: 1 });
    await until(queued, (s) => s.stage === 'queued' && s.queue.position !== null);
    expect(await queued.cancel()).toBe(true);
    expect(queued.status().code).toBe('CANCELLED');
    expect(queued.getSnapshot().stage).toBe('cancelled');
    await expect(queued.result()).rejects.toBeInstanceOf(CancelledError);
    expect(await first.result()).toEqual(['done first']);
    expect(await queued.cancel()).toBe(false);
  });

  it('cancels a queued job as soon as its join answers, without stopping the call ahead of it that the server may have started', async () => {
    // Until the session stream says so, the client cannot know whether the server started the
    // first call (here the stream is slow to open). Gradio's /cancel stops every running call of
    // the endpoint in the session, and a call stopped so gets no message again: it would hang.
    const slowStream: typeof fetch = async (url, init) => {
      if (String(url).includes('/queue/data')) await new Promise((r) => setTimeout(r, 300));
      return fetch(url, init);
    };
    for (const label of ['a', 'b']) {
      const c = await Client.connect(gradioUrl(), { fetch: slowStream }); // a new session
      const first = c.submit('/slow', { label, seconds: 0.3 });
      const queued = c.submit('/slow', { label: 'queued', seconds: 0.3 });
      await until(queued, (s) => s.eventId !== null);
      expect(first.getSnapshot().stage).toBe('queued');
      expect(await queued.cancel()).toBe(true);
      expect(await first.result()).toEqual([`done ${label}`]);
      c.close();
    }
  });


  /** A fetch whose /cancel requests are slower than the next join. */
  const slowCancel: typeof fetch = async (url, init) => {
    if (String(url).endsWith('/cancel')) await new Promise((r) => setTimeout(r, 300));
    return fetch(url, init);
  };

  it('does not let a slow cancel stop the call of the same endpoint submitted right after it or just before it (Stop, then Generate)', async () => {
    // Gradio's /cancel stops every running call of the endpoint in the session when it arrives,
    // also one that joined after it was sent: here its request is slower than the next join.
    const c = await Client.connect(gradioUrl(), { fetch: slowCancel });
    for (const stopFirst of [true, false]) {
      const stopped = c.submit<[number]>('/count', { n: 1000, delay: 0.05 });
      await until(stopped, (s) => s.outputs.length >= 2);
      const cancelled = stopFirst ? stopped.cancel() : undefined;
      const next = c.submit<[number]>('/count', { n: 8, delay: 0.1 });
      const cancelledAfter = stopFirst ? cancelled : stopped.cancel(); // the hooks submit first, then cancel
      expect(await next.result()).toEqual([8]);
      expect(next.outputs().map(([n]) => n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(await cancelledAfter).toBe(true);
    }
    c.close();
  });

  it('stops a running generator after its current step', async () => {
    const c = await Client.connect(gradioUrl());
    const job = c.submit<[number]>('/count', { n: 1000, delay: 0.05 });
    await until(job, (s) => s.outputs.length >= 3);
    expect(await job.cancel()).toBe(true);
    const outputsAtCancel = job.outputs().length;
    expect(job.status().code).toBe('CANCELLED');
    // the server stopped it: the session is free again and a new job runs normally
    expect(await c.predict('/count', { n: 2, delay: 0 })).toEqual([2]);
    expect(job.outputs().length).toBe(outputsAtCancel);
    expect(outputsAtCancel).toBeLessThan(1000);
    c.close();
  });

  it('ends the other running calls of the endpoint that Gradio cancels along with it', async () => {
    const c = await Client.connect(gradioUrl());
    const a = c.submit('/count', { n: 1000, delay: 0.05 });
    const b = c.submit('/count', { n: 1000, delay: 0.05 });
    await until(a, (s) => s.outputs.length >= 2);
    await until(b, (s) => s.outputs.length >= 2);
    await a.cancel();
    await expect(b.result()).rejects.toThrow(/together with another call of it/);
    expect(b.status().code).toBe('CANCELLED');
    c.close();
  });

  it('ends them also when the stream has not shown them started yet (a slow link): the cancel waits until the calls just placed in the queue had their moment to start', async () => {
    // the session stream's chunks come 300 ms late: b shows as queued, while the server has started it
    const late: typeof fetch = async (url, init) => {
      const res = await fetch(url, init);
      if (!String(url).includes('/queue/data') || !res.body) return res;
      const slow = new TransformStream<Uint8Array, Uint8Array>({ transform: (chunk, out) => new Promise((r) => setTimeout(() => r(out.enqueue(chunk)), 300)) });
      return new Response(res.body.pipeThrough(slow), { status: res.status, headers: res.headers });
    };
    const c = await Client.connect(gradioUrl(), { fetch: late });
    try {
      const a = c.submit('/count', { n: 1000, delay: 0.05 });
      await until(a, (s) => s.outputs.length >= 1);
      const b = c.submit('/count', { n: 1000, delay: 0.05 });
      await until(b, (s) => s.stage === 'queued');
      expect(await a.cancel()).toBe(true);
      await expect(b.result()).rejects.toThrow(/together with another call of it/);
      expect(b.outputs().length).toBeLessThan(1000);
    } finally {
      c.close();
    }
  });

  it('leaves alone the call of the endpoint that the cancelled one held in the queue: it starts in its place and runs to its end', async () => {
    const c = await Client.connect(gradioUrl());
    try {
      const a = c.submit('/slow', { label: 'a', seconds: 5 }); // /slow takes one call at a time
      await until(a, (s) => s.stage === 'running');
      const b = c.submit('/slow', { label: 'b', seconds: 0.2 });
      await until(b, (s) => s.stage === 'queued' && s.eventId !== null);
      await a.cancel();
      expect(await b.result()).toEqual(['done b']);
    } finally {
      c.close();
    }
  });

  it("ends them too when the cancel's answer is lost (the server may have stopped them: they would wait for ever)", async () => {
    let cancels = 0;
    const c = await Client.connect(gradioUrl(), {
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (!String(url).endsWith('/cancel')) return res;
        cancels++;
        throw new TypeError('fetch failed', { cause: new Error('other side closed') }); // after the server acted
      },
    });
    const a = c.submit('/count', { n: 1000, delay: 0.05 });
    const b = c.submit('/count', { n: 1000, delay: 0.05 });
    await until(a, (s) => s.outputs.length >= 2);
    await until(b, (s) => s.outputs.length >= 2);
    expect(await a.cancel()).toBe(true);
    await expect(b.result()).rejects.toThrow(/together with another call of it/);
    expect(cancels).toBe(1);
    c.close();
  });

  it('leaves the other calls of a batch function running: Gradio stops no run of one', async () => {
    const c = await Client.connect(gradioUrl());
    const jobs = ['a', 'b', 'c'].map((word) => c.submit<[string]>('/shout', { word, seconds: 1 }));
    await Promise.all(jobs.map((j) => until(j, (s) => s.stage === 'running'))); // one run of the function for the three
    expect(await jobs[2]!.cancel()).toBe(true);
    expect(await Promise.all(jobs.slice(0, 2).map((j) => j.result()))).toEqual([['A!'], ['B!']]);
    expect(jobs[2]!.status().code).toBe('CANCELLED');
    expect(await c.predict('/shout', { word: 'd', seconds: 0 })).toEqual(['D!']);
    c.close();
  });

  it('gives a call that finished before the cancel reached the server its result, though the stream brings it late', async () => {
    // each chunk of the session stream comes 500 ms late: b has ended on the server when it shows as running
    const late: typeof fetch = async (url, init) => {
      const res = await fetch(url, init);
      if (!String(url).includes('/queue/data') || !res.body) return res;
      const later = (chunk: Uint8Array, out: TransformStreamDefaultController<Uint8Array>) => {
        try {
          out.enqueue(chunk);
        } catch {} // the stream was cut meanwhile
      };
      const slow = new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, out) => void setTimeout(later, 500, chunk, out),
        flush: () => new Promise((r) => setTimeout(r, 510)),
      });
      return new Response(res.body.pipeThrough(slow), { status: res.status, headers: res.headers });
    };
    const c = await Client.connect(gradioUrl(), { fetch: late });
    try {
      const a = c.submit('/count', { n: 1000, delay: 0.05 });
      await until(a, (s) => s.outputs.length >= 1);
      const b = c.submit<[number]>('/count', { n: 3, delay: 0.1 }); // 0.3 s, one message every 0.1 s
      await until(b, (s) => s.stage === 'running' || s.stage === 'streaming'); // ended on the server by now
      expect(await a.cancel()).toBe(true);
      expect(await b.result()).toEqual([3]); // its end was on its way, ahead of the cancel's
    } finally {
      c.close();
    }
  });

  it('cancels on the server a call cancelled while its join was on its way, when it starts beside a running call of its endpoint', async () => {
    const cancels: string[] = [];
    const c = await Client.connect(gradioUrl(), {
      fetch: (url, init) => (String(url).endsWith('/cancel') && cancels.push(JSON.parse(String(init?.body)).event_id), fetch(url, init)),
    });
    try {
      const a = c.submit('/count', { n: 1000, delay: 0.05 });
      await until(a, (s) => s.outputs.length >= 1);
      const b = c.submit<[number]>('/count', [30, 0.05]);
      await until(b, (s) => s.status.code === 'JOINING_QUEUE');
      expect(await b.cancel()).toBe(true);
      await vi.waitFor(() => expect(cancels).toContain(b.eventId), { timeout: 5_000 }); // asked once it started
      // Gradio stopped a along with it
      await expect(a.result()).rejects.toThrow(/together with another call of it/);
    } finally {
      c.close();
    }
  });

  it('spareOthers: does not ask the server when that would stop other running calls of the endpoint', async () => {
    const cancels: string[] = [];
    const recording: typeof fetch = (url, init) => {
      if (String(url).endsWith('/cancel')) cancels.push(String(init?.body));
      return fetch(url, init);
    };
    const c = await Client.connect(gradioUrl(), { fetch: recording });
    const a = c.submit<[number]>('/count', { n: 1000, delay: 0.05 });
    const b = c.submit<[number]>('/count', { n: 12, delay: 0.1 });
    await until(a, (s) => s.outputs.length >= 2);
    await until(b, (s) => s.outputs.length >= 2);
    expect(await a.cancel({ spareOthers: true })).toBe(true);
    expect(a.status().code).toBe('CANCELLED'); // for the caller it is over at once
    expect(await b.result()).toEqual([12]); // not stopped along with it
    expect(b.outputs().map(([n]) => n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(cancels).toEqual([]);
    // alone, it is cancelled on the server as usual
    const alone = c.submit<[number]>('/count', { n: 1000, delay: 0.05 });
    await until(alone, (s) => s.outputs.length >= 2);
    expect(await alone.cancel({ spareOthers: true })).toBe(true);
    expect(cancels).toHaveLength(1);
    expect(await c.predict('/count', { n: 2, delay: 0 })).toEqual([2]);
    c.close();
  });

  it('does not let the cancel of a call still joining stop the next call of the endpoint', async () => {
    const c = await Client.connect(gradioUrl(), { fetch: slowCancel });
    await c.predict('/count', [1, 0]);
    for (const order of ['cancel first', 'submit first']) {
      const stopped = c.submit<[number]>('/count', [1000, 0.05]);
      let next: Job<[number]>;
      let cancelled: Promise<boolean>;
      if (order === 'cancel first') {
        cancelled = stopped.cancel(); // its join is on its way
        next = c.submit<[number]>('/count', [8, 0.1]);
      } else {
        next = c.submit<[number]>('/count', [8, 0.1]);
        cancelled = stopped.cancel();
      }
      expect(await next.result()).toEqual([8]);
      expect(await cancelled).toBe(true);
    }
    c.close();
  });

  it('returns false for a finished job', async () => {
    const job = client.submit('/calculate', [1, 2, 'add']);
    await job.result();
    expect(await job.cancel()).toBe(false);
  });

  it('cancels a job before its join answered', async () => {
    const job = client.submit('/slow', { label: 'early', seconds: 0.2 });
    expect(await job.cancel()).toBe(true);
    await expect(job.result()).rejects.toBeInstanceOf(CancelledError);
  });

  it('asks the server to stop a queued call cancelled before its join answered, also where that waits for its start (Gradio < 6.14)', async () => {
    const joined: string[] = [];
    const cancelled: string[] = [];
    let job: Job<unknown> | undefined;
    const c = await Client.connect(gradioUrl(), {
      fetch: async (url, init) => {
        const u = String(url);
        if (u.endsWith('/cancel')) cancelled.push(JSON.parse(String(init?.body)).event_id);
        if (u.endsWith('/queue/join')) void job?.cancel(); // while its join is on its way
        const res = await fetch(url, init);
        if (u.endsWith('/queue/join')) joined.push(((await res.clone().json()) as { event_id: string }).event_id);
        return res;
      },
    });
    const other = await Client.connect(gradioUrl());
    try {
      const running = other.submit('/slow', { label: 'ahead', seconds: 0.6 }); // /slow takes one call at a time
      await until(running, (s) => s.stage === 'running');
      job = c.submit('/slow', { label: 'behind', seconds: 0.6 });
      await expect(job.result()).rejects.toBeInstanceOf(CancelledError);
      await vi.waitFor(() => expect(joined).toHaveLength(1));
      // not left to run to its end unwatched (its stream was never opened)
      await vi.waitFor(() => expect(cancelled).toContain(joined[0]), { timeout: 5_000 });
      expect(await running.result()).toEqual(['done ahead']);
    } finally {
      c.close();
      other.close();
    }
  });

  it('stops uploading when a job ends during its upload (cancel, timeout)', async () => {
    // 4 MB over a 1 MB/s link: each upload takes 4 s unless it is stopped
    const proxy = await subPathProxy(gradioUrl(), '/slow', { bytesPerSecond: 1_000_000 });
    const uploads: AbortSignal[] = [];
    const recording: typeof fetch = (input, init) => {
      if (String(input).endsWith('/upload')) uploads.push(init!.signal!);
      return fetch(input, init);
    };
    try {
      const c = await Client.connect(proxy.url, { fetch: recording });
      const big = () => handleFile(new Uint8Array(4_000_000), { name: 'big.bin' });
      const cancelled = c.submit('/echo_file', [big()]);
      await vi.waitFor(() => expect(uploads).toHaveLength(1));
      expect(await cancelled.cancel()).toBe(true);
      expect(uploads[0]!.aborted).toBe(true);
      const late = c.submit('/echo_file', [big()], { timeout: 300 });
      await expect(late.result()).rejects.toBeInstanceOf(TimeoutError);
      expect(uploads).toHaveLength(2);
      expect(uploads[1]!.aborted).toBe(true);
      c.close();
    } finally {
      await proxy.close();
    }
  });
});

describe('streamed input', () => {
  // a mono 16-bit WAV of `samples` silent samples at 16 kHz, as a microphone chunk
  const wav = (samples: number, name = 'chunk.wav') => {
    const v = new DataView(new ArrayBuffer(44 + samples * 2));
    const text = (at: number, s: string) => [...s].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)));
    text(0, 'RIFF');
    v.setUint32(4, 36 + samples * 2, true);
    text(8, 'WAVEfmt ');
    v.setUint32(16, 16, true);
    v.setUint16(20, 1, true); // PCM
    v.setUint16(22, 1, true); // mono
    v.setUint32(24, 16_000, true);
    v.setUint32(28, 32_000, true);
    v.setUint16(32, 2, true);
    v.setUint16(34, 16, true);
    text(36, 'data');
    v.setUint32(40, samples * 2, true);
    return handleFile(new Uint8Array(v.buffer), { name, type: 'audio/wav' });
  };

  it('sends more input to one .stream() call and ends it (Gradio ≥ 5); a plain call on 4.x', async () => {
    const c = await Client.connect(gradioUrl()); // a new session: the app counts per session
    try {
      const job = c.submit<[string]>('/listen', [wav(1600)]);
      if (!since(5, 0)) {
        expect(await job.result()).toEqual(['1600 samples']);
        await expect(job.send([wav(800)])).rejects.toBeInstanceOf(ArgumentError);
        return;
      }
      await until(job, (s) => s.outputs.length === 1);
      expect(job.outputs()).toEqual([['1600 samples']]);
      expect(job.status().code).toBe('ITERATING');
      expect(await job.send([wav(800)])).toBe(true);
      await until(job, (s) => s.outputs.length === 2);
      expect(await job.send({ chunk: wav(400) })).toBe(true); // keyword arguments too
      await until(job, (s) => s.outputs.length === 3);
      // an input JSON cannot encode is refused, and the call goes on
      await expect(job.send([10n])).rejects.toThrow(/^\/listen: cannot send an argument \(/);
      // send() without an input (JS callers get no type check) is refused, not taken as the end of the input
      for (const none of [undefined, '']) {
        await expect(job.send(none as unknown as unknown[])).rejects.toThrow(/^\/listen: give the arguments as an array or an object, not/);
      }
      expect(job.status().code).toBe('ITERATING');
      expect(await job.closeInput()).toBe(true);
      // Before 6.31 Gradio runs the function once more on the last input when the input is
      // closed (6.31's queueing.py ends the event at once: "Closed while waiting")
      const last = since(6, 31) ? '2800 samples' : '3200 samples';
      expect(await job.result()).toEqual([last]);
      expect(job.outputs()).toEqual([['1600 samples'], ['2400 samples'], ['2800 samples'], ...(since(6, 31) ? [] : [[last]])]);
      expect(job.status().code).toBe('FINISHED');
      expect(await job.send([wav(1)])).toBe(false);
      expect(await job.closeInput()).toBe(false);
    } finally {
      c.close();
    }
  });

  it('predict() on an event that streams its input sends its one input, closes it, and resolves with the output', async () => {
    const c = await Client.connect(gradioUrl()); // a new session: the app counts per session
    try {
      if (since(5, 0) && !since(6, 31)) {
        // Before 6.31 the server runs the function once more on the last input when the input is
        // closed (docs/compatibility.md), unless the close comes before the function has begun:
        // the one input is counted once or twice, as the server's timing falls
        const [first] = await c.predict<[string]>('/listen', [wav(1600)]);
        expect(['1600 samples', '3200 samples']).toContain(first);
        const [second] = await c.predict<[string]>('/listen', { chunk: wav(400) });
        expect([400, 800].map((n) => `${Number.parseInt(first!, 10) + n} samples`)).toContain(second);
        return;
      }
      expect(await c.predict('/listen', [wav(1600)])).toEqual(['1600 samples']);
      expect(await c.predict('/listen', { chunk: wav(400) })).toEqual(['2000 samples']); // the function ran once per call
    } finally {
      c.close();
    }
  });

  it('sends many inputs at once without gathering a listener per input (Gradio ≥ 5)', async () => {
    if (!since(5, 0)) return;
    const warnings = await warningsDuring(async (c) => {
      const job = c.submit<[string]>('/listen', [wav(1600)]);
      const sent = await Promise.all(Array.from({ length: 12 }, () => job.send([wav(10)])));
      expect(sent).toEqual(Array(12).fill(true));
      await job.closeInput();
      await job.result();
    });
    expect(warnings).toEqual([]);
  });

  it('resolves send() false when the server ended the call before the input got there (a time limit), not with an error (Gradio ≥ 6.18)', async () => {
    // the stream held back once the call has begun: the server ends the call (here: its input is
    // closed) while the client has not heard of it yet, as when a `time_limit` runs out
    let release = () => {};
    let gate: Promise<void> | undefined;
    let answered = (_status: number) => {};
    const inputAnswered = new Promise<number>((resolve) => (answered = resolve));
    const c = await Client.connect(gradioUrl(), {
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (/\/stream\/\w+$/.test(String(url))) answered(res.status);
        if (!String(url).includes('/queue/data') || !res.body) return res;
        const hold = new TransformStream<Uint8Array, Uint8Array>({
          async transform(chunk, out) {
            await gate;
            out.enqueue(chunk);
          },
        });
        return new Response(res.body.pipeThrough(hold), res);
      },
    });
    try {
      const job = c.submit<[string]>('/listen', [wav(1600)]);
      // before 6.18 no 404 tells of the race: Gradio 5 keeps an ended event and takes an input sent
      // to it (send() resolves true), and 6.13–6.17 answer 500, a ConnectionError (docs/compatibility.md)
      if (!since(6, 18)) return void (since(5, 0) && (await job.closeInput()), await job.result());
      await until(job, (s) => s.outputs.length === 1);
      gate = new Promise((resolve) => (release = resolve));
      // the input closed behind the client's back (its own closeInput() would mark the call as ending)
      const close = () => fetch(`${c.url}${c.apiPrefix}/stream/${job.eventId}/close`, { method: 'POST' });
      expect((await close()).status).toBe(200);
      // the server has forgotten the event once its /close answers 404
      while ((await close()).status !== 404) await new Promise((r) => setTimeout(r, 20));
      expect(job.done()).toBe(false);
      const sent = job.send([wav(800)]);
      expect(await inputAnswered).toBe(404);
      release();
      expect(await sent).toBe(false);
      expect(await job.result()).toEqual([since(6, 31) ? '1600 samples' : '3200 samples']);
    } finally {
      c.close();
    }
  });

  it('passes inputs to the server in the order they were sent, though a later upload is quicker (Gradio ≥ 5)', async () => {
    // 1 MB/s: the big chunk's upload takes most of a second, the small one's a moment
    const proxy = await subPathProxy(gradioUrl(), '/slow', { bytesPerSecond: 1_000_000 });
    const posted: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (/\/stream\/[^/]+$/.test(String(input))) posted.push((JSON.parse(String(init!.body)) as { data: { orig_name: string }[] }).data[0]!.orig_name);
      return res;
    };
    const c = await Client.connect(proxy.url, { fetch: recording });
    try {
      const job = c.submit<[string]>('/listen', [wav(1600)]);
      if (!since(5, 0)) return void (await job.result());
      await until(job, (s) => s.outputs.length === 1);
      const first = job.send([wav(400_000, 'big.wav')]);
      const second = job.send([wav(100, 'small.wav')]);
      expect(await Promise.all([first, second])).toEqual([true, true]);
      expect(posted).toEqual(['big.wav', 'small.wav']);
      expect(await job.closeInput()).toBe(true);
      await job.result();
    } finally {
      c.close();
      await proxy.close();
    }
  });

  it('rejects send() on a call whose event does not stream its input', async () => {
    const job = client.submit('/count', { n: 2, delay: 0 });
    await expect(job.send([1])).rejects.toThrow(/\/count does not stream its input/);
    await job.result();
  });
});

describe('one session stream', () => {
  it('runs 50 concurrent jobs on one client over a single SSE connection', async () => {
    const c = await Client.connect(gradioUrl());
    const jobs = Array.from({ length: 50 }, (_, i) => c.submit<[number]>('/count', { n: 3, delay: 0.3 }).result().then(([n]) => n + i));
    const results = await Promise.all(jobs);
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => 3 + i));
    expect(c.streamsOpened).toBe(1);
    c.close();
  });

  it('carries a burst of 100 fast jobs on one stream (they join back to back, then it opens)', async () => {
    const c = await Client.connect(gradioUrl());
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => c.predict<[string]>('/echo', [`m${i}`])));
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => [`m${i}`]));
    expect(c.streamsOpened).toBe(1);
    c.close();
  });

  it('opens the stream of a known session while the join is sent (Gradio ≥ 6.11), and recovers when the server does not know it', async () => {
    const order: string[] = [];
    let forget = false;
    let streaming = 0; // stream responses not read to their end yet
    const c = await Client.connect(gradioUrl(), {
      fetch: async (url, init) => {
        let u = String(url);
        const kind = u.includes('/queue/join') ? 'join' : u.includes('/queue/data') ? 'stream' : null;
        if (kind === 'stream' && forget) {
          u = u.replace(/session_hash=[^&]+/, 'session_hash=unknown-to-the-server'); // its answer: session_not_found
          forget = false;
        }
        if (kind) order.push(`${kind} sent`);
        const res = await fetch(u, init);
        if (kind === 'join') order.push('join answered');
        if (kind !== 'stream' || !res.body) return res;
        streaming++;
        const reader = res.body.getReader();
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            try {
              const { done, value } = await reader.read();
              if (done) {
                streaming--;
                controller.close();
              } else controller.enqueue(value);
            } catch (e) {
              streaming--; // a stream for an unknown session ends with an error
              controller.error(e);
            }
          },
          cancel: (reason) => {
            streaming--;
            return reader.cancel(reason);
          },
        });
        return new Response(body, res);
      },
    });
    // Each call below starts once the previous stream has ended (the server ends it after the call).
    const call = async (text: string) => {
      await vi.waitFor(() => expect(streaming).toBe(0));
      expect(await c.predict('/echo', [text])).toEqual([text]);
      return order.splice(0);
    };
    const early = since(6, 11);
    const after = ['join sent', 'join answered', 'stream sent'];
    expect(await call('a')).toEqual(after); // the server does not know the session before its first join
    expect(await call('b')).toEqual(early ? ['stream sent', 'join sent', 'join answered'] : after);
    if (early) {
      // An early stream that reaches a server not knowing the session ends quietly; another one opens.
      forget = true;
      expect(await call('c')).toEqual(['stream sent', 'join sent', 'join answered', 'stream sent']);
      expect(await call('d')).toEqual(['stream sent', 'join sent', 'join answered']); // c's join created the session again
    }
    c.close();
  });

  it('leaves a stream opened for a join that failed open for the next call: cut, it could take that call with it', async () => {
    // Gradio drops a session's queue and events when its stream is cut. Behind a proxy that passes
    // the cut on late, a call that joined in between would never hear back.
    const proxy = await subPathProxy(gradioUrl(), '/late', { disconnectAfter: 300 });
    let refuse = false;
    let ended = 0; // streams read to their end
    const c = await Client.connect(proxy.url, {
      fetch: async (url, init) => {
        const u = String(url);
        if (refuse && u.endsWith('/queue/join')) {
          refuse = false;
          return new Response('{"detail": "Queue is full."}', { status: 503, headers: { 'content-type': 'application/json' } });
        }
        const res = await fetch(url, init);
        return u.includes('/queue/data') && res.body ? new Response(res.body.pipeThrough(new TransformStream({ flush: () => void ended++ })), res) : res;
      },
    });
    await c.predict('/echo', ['known']); // now the server knows the session
    await vi.waitFor(() => expect(ended).toBe(1));
    refuse = true;
    await expect(c.predict('/echo', ['refused'])).rejects.toBeInstanceOf(QueueFullError);
    expect(c.streamsOpened).toBe(since(6, 11) ? 2 : 1); // the refused join's stream was opened with it
    expect(await c.predict('/slow', { label: 'next', seconds: 0.6 })).toEqual(['done next']);
    c.close();
    await proxy.close();
  });

  it('does not hold a joined job back for a later one that is still uploading', async () => {
    let uploaded!: () => void;
    const gate = new Promise<void>((r) => (uploaded = r));
    const c = await Client.connect(gradioUrl(), {
      fetch: async (url, init) => {
        if (String(url).endsWith('/upload')) await gate; // the upload waits for the first job's output
        return fetch(url, init);
      },
    });
    const first = c.submit<[number]>('/count', { n: 3, delay: 0.05 });
    const second = c.submit<[{ orig_name: string }]>('/echo_file', [handleFile(new Blob(['x']), { name: 'x.txt' })]);
    const firstOutput = (async () => {
      for await (const [n] of first) return n;
    })();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadlock = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the first job got no output while the second one was uploading')), 20_000);
    });
    try {
      expect(await Promise.race([firstOutput, deadlock])).toBe(1);
    } finally {
      clearTimeout(timer);
    }
    uploaded();
    expect((await second.result())[0].orig_name).toBe('x.txt');
    c.close();
  });
});

describe('failures', () => {
  it('fails pending jobs with ConnectionLostError when the server dies mid-job', async () => {
    const server = await startGradio();
    const c = await Client.connect(server.url);
    const running = c.submit('/count', { n: 1000, delay: 0.1 });
    const queued = c.submit('/slow', { label: 'x', seconds: 5 });
    await until(running, (s) => s.outputs.length >= 2);
    await server.stop();
    const settled = await Promise.allSettled([running.result(), queued.result()]);
    for (const r of settled) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConnectionLostError);
    expect(running.getSnapshot().stage).toBe('error');
    await expect(c.predict('/calculate', [1, 1, 'add'])).rejects.toThrow(/Could not reach/);
    c.close();
  });

  it('fails a job with ConnectionLostError when its stream goes silent (a stalled link that stays open)', async () => {
    let stalled = false;
    const proxy = await subPathProxy(gradioUrl(), '/stalled', { stalled: () => stalled });
    try {
      const c = await Client.connect(proxy.url, { streamTimeout: 1_000 });
      const job = c.submit('/count', { n: 100, delay: 0.1 });
      await until(job, (s) => s.outputs.length >= 2);
      stalled = true; // nothing more arrives, not even the server's heartbeats; no connection closes
      const error = await job.result().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect((error as Error).message).toMatch(/sent nothing for 1 s/);
      expect(job.outputs().length).toBeLessThan(100);
      c.close();
    } finally {
      await proxy.close();
    }
  });
});

describe('a session stream that a proxy spoils', () => {
  /**
   * A client whose session streams pass through `spoil`, which gets each chunk and its number (from
   * 0) and gives what goes on instead; a `null` in it ends the stream there (as a proxy that ends a
   * response cleanly: the server's side is cut).
   */
  let dropped = 0; // streams the client stopped reading
  const spoiled = (spoil: (chunk: Uint8Array, n: number) => (Uint8Array | null)[]) =>
    Client.connect(gradioUrl(), {
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (!String(url).includes('/queue/data') || !res.body) return res;
        const reader = res.body.getReader();
        let n = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(out) {
            const { done, value } = await reader.read();
            for (const c of done ? [null] : spoil(value, n++)) {
              if (c) out.enqueue(c);
              else return void (await reader.cancel(), out.close());
            }
          },
          cancel: (reason) => (dropped++, reader.cancel(reason)),
        });
        return new Response(body, res);
      },
    });

  it('fails the calls when the stream ends before their end without close_stream (the server dropped them), and the next call works', async () => {
    let cut = true;
    // its first message only (the call's place in the queue), then the end
    const first = (chunk: Uint8Array) => chunk.slice(0, new TextDecoder().decode(chunk).indexOf('\n\n') + 2);
    const c = await spoiled((chunk) => (cut ? [first(chunk), null] : [chunk]));
    try {
      const job = c.submit('/echo', ['cut']);
      await expect(job.result()).rejects.toBeInstanceOf(ConnectionLostError);
      expect(c.streamsOpened).toBe(1); // not opened again: no message of the call would come
      cut = false;
      expect(await c.predict('/echo', ['next'])).toEqual(['next']);
    } finally {
      c.close();
    }
  });

  it('fails the calls at a message that is not JSON, cuts that stream, and the next call works', async () => {
    let inject = true;
    const bad = new TextEncoder().encode('data: {not json\n\n');
    const c = await spoiled((chunk, n) => (inject && n === 0 ? [chunk, bad] : [chunk])); // after its first chunk
    try {
      dropped = 0;
      const job = c.submit('/slow', { label: 'spoiled', seconds: 1 });
      const error = await job.result().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect((error as Error).message).toMatch(/JSON/);
      await vi.waitFor(() => expect(dropped).toBe(1)); // the spoiled stream is cut
      inject = false;
      // the spoiled stream would have taken this call's messages, had it been left open
      expect(await c.predict('/echo', ['next'])).toEqual(['next']);
    } finally {
      c.close();
    }
  });
});

describe('turns to join', () => {
  it('lets the next calls join when a call ends while its join gets no answer (timed out, cancelled)', async () => {
    let swallow = 2;
    const c = await Client.connect(gradioUrl(), {
      timeout: 0, // no limit: the joins that get no answer would hold the next calls for ever
      fetch: (url, init) =>
        String(url).endsWith('/queue/join') && swallow-- > 0
          ? new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))
          : fetch(url, init),
    });
    try {
      await expect(c.predict('/echo', ['lost'], { timeout: 200 })).rejects.toBeInstanceOf(TimeoutError);
      // (a call of /echo waits for the /cancel of the lost one, sent once its join answers: it would
      // stop it, see the next test)
      const cancelled = c.submit('/calculate', { a: 0 });
      await until(cancelled, (s) => s.status.code === 'JOINING_QUEUE');
      const asked = cancelled.cancel(); // it resolves once the join has answered, to cancel the event the server may have
      expect(await c.predict('/count', { n: 1, delay: 0 })).toEqual([1]);
      c.close(); // ends the joins on their way
      expect(await asked).toBe(true);
    } finally {
      c.close();
    }
  });

  it('a call cancelled while its join is on its way stops no call of the endpoint submitted after it', async () => {
    // (Gradio < 6.14 cannot take a queued call out of its queue: it is cancelled as it starts, and
    // the next call joins after that)
    let hold = true;
    const c = await Client.connect(gradioUrl(), {
      fetch: async (url, init) => {
        if (hold && String(url).endsWith('/queue/join')) (hold = false), await new Promise((r) => setTimeout(r, 300));
        return fetch(url, init);
      },
    });
    try {
      const a = c.submit('/count', { n: 3, delay: 0.2 });
      await until(a, (s) => s.status.code === 'JOINING_QUEUE');
      const asked = a.cancel(); // "stop", then "run" again
      const b = c.submit<[number]>('/count', { n: 3, delay: 0.2 });
      expect(await b.result()).toEqual([3]);
      expect(await asked).toBe(true);
    } finally {
      c.close();
    }
  });

  it('runs a call outside the queue (queue=False) before the calls submitted after it join: they read what it wrote', async () => {
    const c = await Client.connect(gradioUrl());
    try {
      const first = c.submit('/echo_now', { text: 'first', seconds: 0.5 });
      expect(await c.predict('/echo', ['next'])).toEqual(['next']);
      expect(first.getSnapshot()).toMatchObject({ stage: 'success', data: ['first'] });
    } finally {
      c.close();
    }
  });
});

describe('close()', () => {
  it('ends the streams of earlier sessions, and the joins and /info requests on their way', async () => {
    const seen: { url: string; signal: AbortSignal }[] = [];
    const held: AbortSignal[] = [];
    let hold = false;
    const c = await Client.connect(gradioUrl(), {
      fetch: (input, init) => {
        const url = String(input);
        if (init?.signal) seen.push({ url, signal: init.signal });
        // a server that takes this join and this /info and does not answer them
        if (hold && (url.endsWith('/queue/join') || url.includes('/info'))) {
          held.push(init!.signal!);
          return new Promise((_, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)));
        }
        return fetch(input, init);
      },
    });
    const other = await Client.connect(gradioUrl());
    try {
      const running = other.submit('/slow', { label: 'other', seconds: 3 }); // /slow takes one call at a time
      await until(running, (s) => s.stage === 'running');
      const queued = c.submit('/slow', { label: 'queued', seconds: 0.1 });
      await until(queued, (s) => s.stage === 'queued');
      c.resetSession(); // the queued call stays in its old session, with its stream
      hold = true;
      const joining = c.submit('/echo', ['x']);
      const info = c.viewApi(); // not asked yet (calls ask for { all: true })
      await new Promise((r) => setTimeout(r, 100));
      c.close();
      const streams = seen.filter((r) => r.url.includes('/queue/data'));
      expect(new Set(streams.map((r) => new URL(r.url).searchParams.get('session_hash'))).size).toBe(1); // the old session's
      expect(streams.every((r) => r.signal.aborted)).toBe(true);
      expect(held).toHaveLength(2);
      expect(held.every((signal) => signal.aborted)).toBe(true);
      await expect(queued.result()).rejects.toBeInstanceOf(CancelledError);
      await expect(joining.result()).rejects.toThrow('The call to /echo was cancelled: its client was closed.');
      await expect(info).rejects.toBeInstanceOf(CancelledError);
      expect(await running.result()).toEqual(['done other']);
    } finally {
      other.close();
    }
  });

  it('stops the uploads and downloads on their way', async () => {
    let slow = false;
    // once armed, a server that takes uploads and downloads and does not answer them
    const c = await Client.connect(gradioUrl(), {
      fetch: (input, init) => {
        const url = String(input);
        if (slow && (url.includes('/upload') || url.includes('/file='))) {
          const { signal } = init!;
          return new Promise((_, reject) => (signal!.aborted ? reject(signal!.reason) : signal!.addEventListener('abort', () => reject(signal!.reason))));
        }
        return fetch(input, init);
      },
    });
    const [file] = await c.predict<[FileData]>('/echo_file', [handleFile(new Blob(['x']), { name: 'x.txt' })]);
    slow = true;
    const upload = c.upload([new Blob(['abc'])]);
    const download = c.download(file);
    await new Promise((r) => setTimeout(r, 50));
    c.close();
    await expect(upload).rejects.toBeInstanceOf(CancelledError);
    await expect(download).rejects.toBeInstanceOf(CancelledError);
    await expect(c.download(file)).rejects.toBeInstanceOf(CancelledError); // and any after it
  });

  it('ends the stream of an earlier session whose call had not joined yet when the session was left', async () => {
    const streams: AbortSignal[] = [];
    const c = await Client.connect(gradioUrl(), {
      fetch: (input, init) => (String(input).includes('/queue/data') && init?.signal && streams.push(init.signal), fetch(input, init)),
    });
    const a = c.submit('/slow', { label: 'a', seconds: 5 }); // keyword arguments: it reads /info before joining
    const b = c.submit('/slow', { label: 'b', seconds: 5 }); // queued behind a (/slow takes one call at a time)
    c.resetSession(); // before either joined: their session's stream is opened later
    await until(b, (s) => s.stage === 'queued' && s.eventId !== null);
    expect(streams.length).toBeGreaterThan(0);
    c.close();
    expect(streams.every((signal) => signal.aborted)).toBe(true); // cut: the server drops b, and stops a
    await expect(a.result()).rejects.toBeInstanceOf(CancelledError);
    await expect(b.result()).rejects.toBeInstanceOf(CancelledError);
  });

  it('asks the server to cancel only the running calls when it closes: cut, the stream takes the queued ones out of the queue', async () => {
    const cancels: string[] = [];
    const c = await Client.connect(gradioUrl(), {
      fetch: (input, init) => (String(input).endsWith('/cancel') && cancels.push(String(init?.body)), fetch(input, init)),
    });
    const other = await Client.connect(gradioUrl());
    try {
      const running = other.submit('/slow', { label: 'other', seconds: 2 }); // /slow takes one call at a time
      await until(running, (s) => s.stage === 'running');
      const queued = ['a', 'b', 'c', 'd', 'e'].map((label) => c.submit('/slow', { label, seconds: 0.1 }));
      await Promise.all(queued.map((j) => until(j, (s) => s.stage === 'queued' && s.queue.position !== null)));
      const counting = c.submit('/count', { n: 1000, delay: 0.05 });
      await until(counting, (s) => s.outputs.length >= 1);
      c.close();
      await Promise.all([...queued, counting].map((j) => expect(j.result()).rejects.toBeInstanceOf(CancelledError)));
      await new Promise((r) => setTimeout(r, 200)); // any /cancel would have been sent by now
      expect(cancels.map((b) => JSON.parse(b).event_id)).toEqual([counting.eventId]);
      // the server dropped the five: the next call waits for the running one only
      const next = other.submit('/slow', { label: 'next', seconds: 0.1 });
      await until(next, (s) => s.queue.position !== null || s.stage !== 'queued');
      expect(next.getSnapshot().queue.position ?? 0).toBe(0);
      expect(await next.result()).toEqual(['done next']);
    } finally {
      other.close();
    }
  });

  it('keeps nothing per call for close() (no listener gathers on a signal over many calls)', async () => {
    const warnings = await warningsDuring(async (c) => {
      for (let i = 0; i < 15; i++) expect(await c.predict('/echo', [String(i)])).toEqual([String(i)]);
    });
    expect(warnings).toEqual([]);
  });

  it('takes one signal for many calls ("stop all") without gathering a listener per call', async () => {
    const warnings = await warningsDuring(async (c) => {
      const stopAll = new AbortController();
      const jobs = Array.from({ length: 15 }, () => c.submit('/count', { n: 1000, delay: 0.05 }, { signal: stopAll.signal }));
      await Promise.all(jobs.map((j) => until(j, (s) => s.stage !== 'pending')));
      stopAll.abort();
      await Promise.all(jobs.map((j) => expect(j.result()).rejects.toBeInstanceOf(CancelledError)));
    });
    expect(warnings).toEqual([]);
  });

  it('lets a Node process exit by itself after a streamed job, a heartbeat and close()', async () => {
    const dir = await tempDir();
    const bundle = join(dir, 'client.mjs');
    await build({ entryPoints: [join(root, 'packages/client/src/index.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent' });
    const script = `
      import { Client } from ${JSON.stringify(bundle)};
      const c = await Client.connect(${JSON.stringify(gradioUrl())});
      const job = c.submit('/count', { n: 3, delay: 0 });
      for await (const out of job) {}
      await c.predict('/increment', [1]);
      const long = c.submit('/count', { n: 100000, delay: 0.05 });
      await new Promise((r) => setTimeout(r, 300));
      c.close();
      await long.result().catch((e) => console.log(e.name));
      console.log('closed');
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exit = await new Promise<number | 'hung'>((resolve) => {
      const guard = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('hung');
      }, 30_000);
      child.on('exit', (code) => {
        clearTimeout(guard);
        resolve(code ?? -1);
      });
    });
    expect(out).toContain('CancelledError\nclosed');
    expect(exit).toBe(0);
  });
});

it('keeps the session alive with the heartbeat route on apps that ask for it, and closes it', async () => {
  const seen: { url: string; signal: AbortSignal | null | undefined }[] = [];
  const c = await Client.connect(gradioUrl(), { fetch: (input, init) => (seen.push({ url: String(input), signal: init?.signal }), fetch(input, init)) });
  expect(c.config.connect_heartbeat).toBe(true); // the app has a gr.State
  expect(seen.some((r) => r.url.includes('/heartbeat/'))).toBe(false); // nothing before the first job
  await c.predict('/increment', [1]);
  const beat = seen.find((r) => r.url.endsWith(`/heartbeat/${c.sessionHash}`));
  expect(beat).toBeDefined();
  expect(beat!.signal!.aborted).toBe(false);
  c.close();
  // cut once its first message is in (Gradio ends the session only for a heartbeat that began)
  await vi.waitFor(() => expect(beat!.signal!.aborted).toBe(true));
});

it('opens the heartbeat again when it was cut after 10 s or more (a proxy), not when it was cut sooner', async () => {
  // the clock jumps 10.5 s while the first heartbeat lives
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now());
  let beats = 0;
  /** How long the next heartbeats last before they are cut (fake ms: the clock jumps). */
  const lives = [10_500, 0];
  const c = await Client.connect(gradioUrl(), {
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('/heartbeat/') || !res.body) return res;
      beats++;
      const life = lives.shift() ?? 60_000;
      const reader = res.body.getReader();
      const cut = Date.now() + life;
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(out) {
            const { done, value } = await reader.read(); // Gradio's first message comes at once
            if (done) return out.close();
            out.enqueue(value);
            if (Date.now() < cut) vi.setSystemTime(cut);
            await new Promise((r) => setTimeout(r, 50));
            if (Date.now() >= cut) (await reader.cancel(), out.close());
          },
          cancel: (reason) => reader.cancel(reason),
        }),
        res,
      );
    },
  });
  try {
    await c.predict('/increment', [1]);
    await vi.waitFor(() => expect(beats).toBe(2), { timeout: 5_000 }); // the first, cut after 10.5 s, opened again
    await new Promise((r) => setTimeout(r, 500));
    expect(beats).toBe(2); // the second, cut at once, not
  } finally {
    c.close();
    vi.useRealTimers();
  }
});

it('does not open again a heartbeat that a gateway refused (a 504 page), however late', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now());
  let beats = 0;
  const c = await Client.connect(gradioUrl(), {
    fetch: async (input, init) => {
      if (!String(input).includes('/heartbeat/') || beats++) return fetch(input, init); // one opened again would be a real one
      vi.setSystemTime(Date.now() + 11_000);
      return new Response('<html><title>504 Gateway Time-out</title></html>', { status: 504, headers: { 'content-type': 'text/html' } });
    },
  });
  try {
    await c.predict('/increment', [1]);
    await vi.waitFor(() => expect(beats).toBe(1));
    await new Promise((r) => setTimeout(r, 300));
    expect(beats).toBe(1);
  } finally {
    c.close();
    vi.useRealTimers();
  }
});

it('stops reading the heartbeat at close() also where the abort does not end its body (Deno)', async () => {
  // Deno ended no body read of an aborted request once the client had made a few others: the
  // heartbeat stayed open, so the process never exited and the server never saw the session end
  let answered = false;
  let cancelled = false;
  const c = await Client.connect(gradioUrl(), {
    fetch: async (input, init) => {
      if (!String(input).includes('/heartbeat/')) return fetch(input, init);
      await fetch(input, init);
      answered = true;
      // Gradio's first message, then a body that never ends by itself
      const alive = new TextEncoder().encode('data: ALIVE\n\n');
      return new Response(new ReadableStream({ start: (c) => c.enqueue(alive), cancel: () => void (cancelled = true) }));
    },
  });
  await c.predict('/increment', [1]);
  await vi.waitFor(() => expect(answered).toBe(true));
  await new Promise((r) => setTimeout(r, 20));
  c.close();
  await vi.waitFor(() => expect(cancelled).toBe(true));
});
