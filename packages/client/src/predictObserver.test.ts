import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gradioUrl } from '../test/helpers.js';
import { AppError, ArgumentError, CancelledError, Client, ConnectionError, JobObserver, PredictObserver, type CancelOptions, type Job, type JobSnapshot, type JobState, type PredictStatus } from './index.js';

describe('PredictObserver without a client', () => {
  it('shows a failed job with the connection error, or one saying it is not connected, and calls onError', async () => {
    const show = vi.fn();
    const onError = vi.fn();
    const onStatus = vi.fn();
    const caller = new PredictObserver();
    caller.subscribe(() => show(caller.shown));
    caller.options = { onError, onStatus };
    caller.endpoint = 'calculate';
    const job = caller.submit();
    expect(job.getSnapshot()).toMatchObject({ stage: 'error', done: true, error: expect.any(ConnectionError) });
    expect(job.endpoint).toBe('/calculate');
    expect(show).toHaveBeenLastCalledWith(job);
    expect(caller.job).toBe(job);
    caller.error = new ConnectionError('unreachable');
    await expect(caller.predict()).rejects.toThrow('unreachable');
    expect(caller.job?.getSnapshot().error?.message).toBe('unreachable');
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(2));
    expect(onError.mock.calls[1]![0].message).toBe('unreachable');
    expect(onStatus.mock.calls.map(([s]) => s)).toEqual(['error', 'error']); // refused at once: never queued
    caller.cancel(); // the failed job has ended: nothing to cancel, no throw
    expect(await job.cancel()).toBe(false);
  });
});

/** A stand-in job at `stage`, observed through subscribe/getSnapshot; `set` changes it and notifies once. */
function fakeJob(stage = 'pending') {
  let listener = () => {};
  let snap = { stage, logs: [], outputs: [], data: undefined, error: undefined, done: false } as unknown as JobSnapshot<[number]>;
  const job = {
    subscribe: (l: () => void) => ((listener = l), () => (listener = () => {})),
    getSnapshot: () => snap,
    outputsFrom: (start: number) => snap.outputs.slice(start),
    result: () => new Promise(() => {}),
  } as unknown as Job<[number]>;
  const set = (patch: Partial<JobSnapshot<[number]>>) => {
    snap = { ...snap, ...patch };
    listener();
  };
  return { job, set };
}

/** An observer whose client gives the jobs `a` then `b`; `a` records its cancels. */
function twoCalls() {
  const [a, b] = [fakeJob(), fakeJob()];
  const cancelA = vi.fn(async () => true);
  Object.assign(a.job, { cancel: cancelA });
  const jobs = [a.job, b.job];
  const caller = new PredictObserver<[number]>();
  caller.client = { submit: () => jobs.shift() } as unknown as Client;
  return { a, b, cancelA, caller };
}

describe('PredictObserver callbacks', () => {
  it('show a new call (subscribe/shown) before they cancel the one it replaces', () => {
    const { a, b, cancelA, caller } = twoCalls();
    const seen: [Job<[number]> | null, number][] = [];
    caller.subscribe(() => seen.push([caller.shown, cancelA.mock.calls.length]));
    caller.submit();
    caller.submit();
    caller.reset();
    expect(seen).toEqual([[a.job, 0], [b.job, 0], [null, 1]]); // b was on show before a was cancelled
    expect(cancelA).toHaveBeenCalledWith({ spareOthers: true });
  });

  it('start the call and cancel the one it replaces when a listener throws (reported, not thrown by submit)', async () => {
    const { b, cancelA, caller } = twoCalls();
    caller.submit();
    const reported: unknown[] = [];
    process.setUncaughtExceptionCaptureCallback((e) => reported.push(e));
    try {
      const after = vi.fn();
      caller.subscribe(() => {
        throw new Error('a broken UI');
      });
      caller.subscribe(after);
      expect(caller.submit()).toBe(b.job);
      expect(after).toHaveBeenCalledTimes(1);
      expect(cancelA).toHaveBeenCalledWith({ spareOthers: true });
      await new Promise((r) => setTimeout(r, 0));
      expect(reported).toEqual([new Error('a broken UI')]);
    } finally {
      process.setUncaughtExceptionCaptureCallback(null);
    }
  });

  it('cancel a call started after its users left (an unmount, or hidden by React <Activity>), unless one came back', async () => {
    const made: ReturnType<typeof vi.fn>[] = [];
    const caller = new PredictObserver<[number]>();
    caller.client = {
      submit: () => {
        const { job } = fakeJob();
        const cancel = vi.fn(async () => true);
        made.push(cancel);
        return Object.assign(job, { cancel });
      },
    } as unknown as Client;
    caller.options = { concurrency: 'parallel' };
    caller.submit(); // before any user: nothing to go by
    const leave = caller.mount();
    caller.submit();
    leave();
    await Promise.resolve();
    caller.submit(); // no user now
    caller.options = { concurrency: 'parallel', cancelOnUnmount: false };
    caller.submit();
    await new Promise((r) => setTimeout(r));
    caller.options = { concurrency: 'parallel' };
    caller.submit();
    caller.mount(); // back in the same task (StrictMode's remount)
    await new Promise((r) => setTimeout(r));
    // the first two: cancelled by the unmount; the third, started after it, by the submit rule
    const spared = [[{ spareOthers: true }]];
    expect(made.map((c) => c.mock.calls)).toEqual([spared, spared, spared, [], []]);
  });

  it('report a cancelled call to onStatus, not to onError; following an ended job reports nothing', () => {
    const { job, set } = fakeJob();
    const seen: string[] = [];
    const caller = new PredictObserver<[number]>();
    caller.options = { onStatus: (s) => seen.push(s), onError: (e) => seen.push(`error ${e.name}`) };
    caller.client = { submit: () => job } as unknown as Client;
    caller.submit();
    set({ stage: 'cancelled', error: new CancelledError('stopped'), done: true }); // before any news of it (a replaced call)
    expect(seen).toEqual(['queued', 'cancelled']); // it was shown as queued: every end follows a start
    const ended = fakeJob();
    ended.set({ stage: 'success', data: [1], outputs: [[1]], done: true });
    caller.follow(ended.job);
    expect(seen).toEqual(['queued', 'cancelled']);
  });

  it('report a call as queued when it is submitted, before the news of a later call (one refused at once)', async () => {
    const { job, set } = fakeJob();
    const seen: string[] = [];
    const caller = new PredictObserver<[number]>();
    caller.options = { onStatus: (s, j) => seen.push(`${j === job ? 1 : 2} ${s}`), onError: (e) => seen.push(`onError ${e.name}`) };
    let calls = 0;
    caller.client = {
      submit: () => {
        if (calls++) throw new ArgumentError('/x takes 1 argument, not 2.');
        return job;
      },
    } as unknown as Client;
    caller.submit();
    expect(seen).toEqual(['1 queued']); // at once
    caller.submit([1, 2]);
    await Promise.resolve();
    set({ stage: 'success', data: [1], outputs: [[1]], done: true });
    expect(seen).toEqual(['1 queued', '2 error', 'onError ArgumentError', '1 running', '1 success']);
  });

  it('stop for the calls that reset() forgot, which go on (cancel() still stops them)', () => {
    const { job, set } = fakeJob();
    const cancel = vi.fn(async () => true);
    Object.assign(job, { cancel });
    const seen: string[] = [];
    const caller = new PredictObserver<[number]>();
    caller.options = { onStatus: (s) => seen.push(s), onData: ([n]) => seen.push(`data ${n}`), onSuccess: ([n]) => seen.push(`success ${n}`) };
    caller.client = { submit: () => job } as unknown as Client;
    caller.submit();
    set({ stage: 'streaming', outputs: [[1]], data: [1] });
    caller.reset(); // a chat's "clear": the old reply must not come back through onSuccess
    set({ stage: 'success', outputs: [[1], [2]], data: [2], done: true });
    expect(seen).toEqual(['queued', 'running', 'streaming', 'data 1']);
    expect(cancel).not.toHaveBeenCalled();
    caller.cancel();
    expect(cancel).toHaveBeenCalledTimes(1);
  });

  it('keep the order of events when one notification carries several changes', () => {
    const { job, set } = fakeJob();
    const seen: string[] = [];
    const caller = new PredictObserver<[number]>();
    caller.options = {
      onStatus: (s) => seen.push(s),
      onLog: (l) => seen.push(`log ${l.message}`),
      onData: ([n]) => seen.push(`data ${n}`),
      onSuccess: ([n]) => seen.push(`success ${n}`),
    };
    caller.client = { submit: () => job } as unknown as Client;
    caller.submit();
    set({ stage: 'streaming', outputs: [[1]], data: [1], logs: [{ message: 'hi', level: 'info', title: null, duration: null }] });
    set({ stage: 'success', outputs: [[1], [2]], data: [2], done: true }); // the last yield and the end at once
    set({ stage: 'success', outputs: [[1], [2], [3]], data: [3], done: true }); // after the end: not watched
    expect(seen).toEqual(['queued', 'running', 'streaming', 'log hi', 'data 1', 'data 2', 'success', 'success 2']); // queued and running came in the same task as the first output
  });

  it('follow() reports the current status at once, then the changes, once per job', () => {
    const { job, set } = fakeJob('queued');
    const seen: PredictStatus[] = [];
    const caller = new PredictObserver<[number]>();
    caller.options = { onStatus: (s) => seen.push(s) };
    const off = caller.follow(job);
    expect(caller.follow(job)).toBe(off); // already followed: nothing reported again
    set({ stage: 'running' });
    expect(seen).toEqual(['queued', 'running']);
  });

  it('reports the statuses a job passed between two notifications: queued before it ran, running before an output or its end, streaming before the end of a generator', () => {
    const yields = { outputs: [[1], [2]] as [number][], data: [2] as [number] };
    const runs: [Partial<JobSnapshot<[number]>>[], string[], streamed?: boolean][] = [
      [[{ stage: 'success', data: [1], done: true }], ['queued', 'running', 'success']], // a fast call: one notification
      [[{ stage: 'queued' }, { stage: 'success', data: [1], done: true }], ['queued', 'running', 'success']],
      [[{ stage: 'queued' }, { stage: 'streaming', outputs: [[1]], data: [1] }], ['queued', 'running', 'streaming']],
      [[{ stage: 'running' }], ['queued', 'running']],
      [[{ stage: 'error', error: new AppError('no'), done: true }], ['queued', 'error']], // under way when watched: shown as queued
      [[{ stage: 'cancelled', done: true }], ['queued', 'cancelled']],
      [[{ stage: 'queued' }, { stage: 'cancelled', done: true }], ['queued', 'cancelled']],
      // a generator whose yields came in one chunk with its end
      [[{ stage: 'queued' }, { stage: 'success', ...yields, done: true }], ['queued', 'running', 'streaming', 'success'], true],
      [[{ stage: 'running' }, { stage: 'success', ...yields, done: true }], ['queued', 'running', 'streaming', 'success'], true],
      [[{ stage: 'streaming', ...yields }, { stage: 'success', ...yields, done: true }], ['queued', 'running', 'streaming', 'success'], true],
      [[{ stage: 'error', ...yields, error: new AppError('no'), done: true }], ['queued', 'running', 'streaming', 'error'], true],
    ];
    for (const [changes, expected, streamed = false] of runs) {
      const { job, set } = fakeJob();
      const seen: string[] = [];
      const caller = new PredictObserver<[number]>();
      caller.options = { onStatus: (s) => seen.push(s) };
      caller.watch(job);
      // Job.streamed: once a generator's output came
      changes.forEach((change) => set(Object.assign(job, { streamed: streamed && !!change.outputs?.length }) && change));
      expect(seen).toEqual(expected);
    }
  });

  it('watches a job once: a second watch() returns the first one', () => {
    const listeners = new Set<() => void>();
    const job = { subscribe: (l: () => void) => (listeners.add(l), () => listeners.delete(l)), getSnapshot: () => ({ done: false }) } as unknown as Job<[number]>;
    const caller = new PredictObserver<[number]>();
    const off = caller.watch(job);
    expect(caller.watch(job)).toBe(off);
    expect(listeners.size).toBe(1);
    off();
    expect(listeners.size).toBe(0);
    caller.watch(job); // watched again after off()
    expect(listeners.size).toBe(1);
  });
});

describe('PredictObserver.mount', () => {
  /** An observer whose client makes jobs that only record their cancellation. */
  function setup() {
    const cancelled: number[] = [];
    const spared: boolean[] = [];
    let n = 0;
    const caller = new PredictObserver();
    caller.client = {
      submit: (_endpoint: string, args: unknown[]) => {
        if (args.length > 2) throw new ArgumentError('too many');
        const id = n++;
        let over = false; // as a real job: a second cancel does nothing
        const cancel = async (o?: CancelOptions) => {
          if (over) return;
          over = true;
          cancelled.push(id);
          spared.push(!!o?.spareOthers);
        };
        return { subscribe: () => () => {}, getSnapshot: () => ({}), result: () => new Promise(() => {}), cancel };
      },
    } as unknown as Client;
    caller.options = { concurrency: 'parallel' };
    return { caller, cancelled, spared };
  }
  const tick = () => new Promise<void>((r) => queueMicrotask(r));

  it('cancels the submitted calls when the last user leaves, not when one comes back at once (StrictMode)', async () => {
    const { caller, cancelled } = setup();
    const first = caller.mount();
    caller.submit();
    first(); // StrictMode: unmount…
    const second = caller.mount(); // …and mount again in the same task
    await tick();
    expect(cancelled).toEqual([]);
    expect(caller.mounted).toBe(true);
    const other = caller.mount();
    second();
    await tick();
    expect(cancelled).toEqual([]); // another user is still there
    other();
    other(); // calling it twice counts once
    await tick();
    expect(caller.mounted).toBe(false);
    expect(cancelled).toEqual([0]);
  });

  it("spares other callers' calls in the cancels nobody asked for (replace, unmount), not in cancel()", async () => {
    const { caller, cancelled, spared } = setup();
    caller.options = {};
    const leave = caller.mount();
    caller.submit();
    caller.submit(); // replaces call 0
    caller.cancel(); // asked for
    caller.submit();
    leave();
    await tick();
    expect(cancelled).toEqual([0, 1, 2]);
    expect(spared).toEqual([true, false, true]);
  });

  it('cancels nothing when the client refuses the new call', () => {
    const { caller, cancelled } = setup();
    caller.options = {};
    caller.submit();
    const refused = caller.submit([1, 2, 3]);
    expect(refused.getSnapshot().error).toBeInstanceOf(ArgumentError); // shown, with its error
    expect(caller.job).toBe(refused);
    expect(cancelled).toEqual([]); // the running call goes on
    caller.cancel();
    expect(cancelled).toEqual([0]); // and is still the observer's to cancel
  });

  it('keeps the calls with cancelOnUnmount: false', async () => {
    const { caller, cancelled } = setup();
    caller.options = { concurrency: 'parallel', cancelOnUnmount: false };
    const leave = caller.mount();
    caller.submit();
    caller.submit();
    leave();
    await tick();
    expect(cancelled).toEqual([]);
  });
});

describe('PredictObserver.letGo', () => {
  /** A call of a shared cache whose owner let go of it: its job given as itself or as its fetch. */
  async function letGo(options: { mounted: boolean; used?: boolean; concurrency?: 'parallel'; cancelOnUnmount?: false; fetch?: boolean }) {
    const { job } = fakeJob('running');
    const cancel = vi.fn(async (_o?: CancelOptions) => true);
    Object.assign(job, { cancel });
    const caller = new PredictObserver<[number]>();
    caller.options = { concurrency: options.concurrency, cancelOnUnmount: options.cancelOnUnmount };
    const leave = caller.mount();
    if (!options.mounted) leave();
    const off = vi.fn();
    caller.letGo(options.fetch ? Promise.resolve(job) : job, () => options.used, off);
    await new Promise((r) => setTimeout(r, 0));
    return { cancels: cancel.mock.calls.map(([o]) => o), offs: off.mock.calls.length };
  }

  it('cancels the call, sparing others, when no one else shows it: also one still being fetched', async () => {
    expect(await letGo({ mounted: true })).toEqual({ cancels: [{ spareOthers: true }], offs: 0 });
    expect(await letGo({ mounted: true, fetch: true })).toEqual({ cancels: [{ spareOthers: true }], offs: 0 });
    expect(await letGo({ mounted: false, fetch: true })).toEqual({ cancels: [{ spareOthers: true }], offs: 1 }); // left for good: no callbacks
    expect(await letGo({ mounted: true, used: true })).toEqual({ cancels: [], offs: 0 });
    expect(await letGo({ mounted: false, used: true })).toEqual({ cancels: [], offs: 1 });
  });

  it('follows a call kept with cancelOnUnmount: false, which its owner may never have followed: its callbacks go on', async () => {
    const { job, set } = fakeJob('running');
    const caller = new PredictObserver<[number]>();
    const onStatus = vi.fn();
    caller.options = { cancelOnUnmount: false, onStatus };
    caller.mount()();
    caller.letGo(Promise.resolve(job), () => false, () => {});
    await new Promise((r) => setTimeout(r, 0));
    expect(onStatus.mock.calls.map(([s]) => s)).toEqual(['running']);
    set({ stage: 'streaming', outputs: [[1]], data: [1] });
    expect(onStatus.mock.calls.map(([s]) => s)).toEqual(['running', 'streaming']);
  });

  it("keeps it with concurrency: 'parallel' while mounted, and with cancelOnUnmount: false once left (with its callbacks)", async () => {
    expect(await letGo({ mounted: true, concurrency: 'parallel' })).toEqual({ cancels: [], offs: 0 });
    expect(await letGo({ mounted: false, concurrency: 'parallel' })).toEqual({ cancels: [{ spareOthers: true }], offs: 1 });
    expect(await letGo({ mounted: false, cancelOnUnmount: false })).toEqual({ cancels: [], offs: 0 });
    expect(await letGo({ mounted: true, cancelOnUnmount: false })).toEqual({ cancels: [{ spareOthers: true }], offs: 0 });
  });
});

describe('PredictObserver and JobObserver against the server (no UI library)', () => {
  let client: Client;
  beforeAll(async () => {
    client = await Client.connect(gradioUrl());
  });
  afterAll(() => client.close());

  it('fires the callbacks in order and feeds a JobObserver', async () => {
    const observer = new JobObserver<[number]>();
    const seen: string[] = [];
    const states: JobState<[number]>[] = [];
    const caller = new PredictObserver<[number]>();
    caller.subscribe(() => observer.setJob(caller.shown));
    Object.assign(caller, {
      client,
      endpoint: '/count',
      options: {
        onStatus: (s: PredictStatus) => seen.push(s),
        onData: ([n]: [number]) => seen.push(`data ${n}`),
        onSuccess: ([n]: [number]) => seen.push(`success ${n}`),
      },
    });
    const job = caller.submit({ n: 3, delay: 0.05 });
    const off = observer.subscribe(() => states.push(observer.getSnapshot()));
    expect(caller.job).toBe(job);
    await job.result();
    await new Promise((r) => setTimeout(r));
    off();
    expect(seen.filter((s) => !['queued', 'running'].includes(s))).toEqual(['streaming', 'data 1', 'data 2', 'data 3', 'success', 'success 3']);
    expect(seen.indexOf('running')).toBeLessThan(seen.indexOf('streaming'));
    expect(states.at(-1)).toMatchObject({ status: 'success', data: [3], isSuccess: true });
    expect(states.at(-1)?.outputs).toEqual([[1], [2], [3]]);
  });

  it("'replace' cancels the previous call; 'parallel' keeps it; onError gets gr.Error", async () => {
    const caller = new PredictObserver<[number]>();
    Object.assign(caller, { client, endpoint: '/count' });
    const first = caller.submit({ n: 50, delay: 0.05 });
    const second = caller.submit({ n: 2, delay: 0.01 });
    await expect(first.result()).rejects.toBeInstanceOf(CancelledError);
    await expect(second.result()).resolves.toEqual([2]);

    caller.options = { concurrency: 'parallel' };
    const a = caller.submit({ n: 2, delay: 0.05 });
    const b = caller.submit({ n: 2, delay: 0.05 });
    await expect(Promise.all([a.result(), b.result()])).resolves.toEqual([[2], [2]]);

    const errors: unknown[] = [];
    const failing = new PredictObserver<[string]>();
    Object.assign(failing, { client, endpoint: '/fail', options: { onError: (e: unknown) => errors.push(e) } });
    await expect(failing.predict({ message: 'nope' })).rejects.toBeInstanceOf(AppError);
    await new Promise((r) => setTimeout(r));
    expect(errors).toHaveLength(1);
    expect((errors[0] as AppError).message).toContain('nope');
  });

  it('cancel() ends every unfinished call, reset() shows nothing', async () => {
    const shown: (Job<[number]> | null)[] = [];
    const caller = new PredictObserver<[number]>();
    caller.subscribe(() => shown.push(caller.shown));
    Object.assign(caller, { client, endpoint: '/count', options: { concurrency: 'parallel' } });
    const a = caller.submit({ n: 100, delay: 0.05 });
    const b = caller.submit({ n: 100, delay: 0.05 });
    for await (const _ of b) break; // both run
    caller.cancel();
    await expect(a.result()).rejects.toBeInstanceOf(CancelledError);
    await expect(b.result()).rejects.toBeInstanceOf(CancelledError);
    caller.reset();
    expect(shown).toEqual([a, b, null]);
    expect(caller.job).toBeNull();
  });
});
