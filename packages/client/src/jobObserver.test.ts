import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from './errors.js';
import type { Job, JobSnapshot } from './job.js';
import { IDLE, JobObserver, jobState, shallowEqual } from './jobObserver.js';

/** A stand-in with the two methods the observer uses: a Job is observed only through them. */
function fakeJob() {
  const listeners = new Set<() => void>();
  let snap: JobSnapshot<[number]> = Object.freeze({
    eventId: null, stage: 'pending', status: { code: 'STARTING' as const, rank: null, queueSize: null, eta: null, success: null, time: 0, progress: null, log: null },
    queue: { position: null, size: null, eta: null }, progress: null, logs: [], outputs: [], data: undefined, error: undefined, done: false,
  });
  return {
    job: { subscribe: (l: () => void) => (listeners.add(l), () => void listeners.delete(l)), getSnapshot: () => snap } as unknown as Job<[number]>,
    listeners,
    set(patch: Partial<JobSnapshot<[number]>>) {
      snap = Object.freeze({ ...snap, ...patch });
      listeners.forEach((l) => l());
    },
  };
}

afterEach(() => vi.useRealTimers());

describe('JobObserver', () => {
  it('is idle without a job', () => {
    const o = new JobObserver();
    expect(o.getSnapshot()).toBe(IDLE);
    expect(o.subscribe(() => {})).toBeTypeOf('function');
  });

  it('maps stages and survives StrictMode subscribe/unsubscribe/subscribe', () => {
    const f = fakeJob();
    const o = new JobObserver<[number]>();
    o.setJob(f.job);
    expect(o.getSnapshot().status).toBe('queued'); // pending → queued
    const notify = vi.fn();
    o.subscribe(notify)();
    const off = o.subscribe(notify);
    expect(f.listeners.size).toBe(1);
    f.set({ stage: 'running' });
    expect(notify).toHaveBeenCalledTimes(1);
    expect(o.getSnapshot()).toMatchObject({ status: 'running', isPending: true });
    expect(o.getSnapshot()).toBe(o.getSnapshot());
    off();
    expect(f.listeners.size).toBe(0);
  });

  it('throttles output-only updates, passes status at once and never drops the end', () => {
    vi.useFakeTimers();
    const f = fakeJob();
    const o = new JobObserver<[number]>();
    o.throttleMs = 100;
    o.setJob(f.job);
    const notify = vi.fn();
    o.subscribe(notify);
    f.set({ stage: 'streaming', outputs: [[1]], data: [1] }); // stage change: at once
    expect(o.getSnapshot().data).toEqual([1]);
    for (let i = 2; i <= 50; i++) f.set({ outputs: [...f.job.getSnapshot().outputs, [i]], data: [i] });
    expect(o.getSnapshot().data).toEqual([1]);
    vi.advanceTimersByTime(100);
    expect(o.getSnapshot().data).toEqual([50]);
    f.set({ outputs: [...f.job.getSnapshot().outputs, [51]], data: [51] }); // within the window
    expect(o.getSnapshot().data).toEqual([50]);
    f.set({ queue: { position: 0, size: 1, eta: null } }); // not an output update: at once
    expect(o.getSnapshot().data).toEqual([51]);
    f.set({ outputs: [...f.job.getSnapshot().outputs, [52]], data: [52] });
    f.set({ stage: 'success', done: true }); // the end passes at once, with the last value
    expect(o.getSnapshot()).toMatchObject({ status: 'success', data: [52] });
    expect(o.getSnapshot().outputs).toHaveLength(52);
    expect(notify).toHaveBeenCalledTimes(4);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('select limits changes to what it picks (shallowly)', () => {
    const f = fakeJob();
    const o = new JobObserver<[number], { position: number | null }>();
    o.select = (s) => ({ position: s.queue.position });
    o.setJob(f.job);
    o.subscribe(() => {});
    const first = o.getSnapshot();
    f.set({ outputs: [[1]], data: [1] });
    o.select = (s) => ({ position: s.queue.position }); // a new inline selector each render
    expect(o.getSnapshot()).toBe(first);
    f.set({ queue: { position: 3, size: 4, eta: null } });
    expect(o.getSnapshot()).toEqual({ position: 3 });
  });

  it('keeps each subscription on its own job: pointing the observer at another one (a render React may drop) changes nothing for it', () => {
    vi.useFakeTimers();
    const a = fakeJob();
    const b = fakeJob();
    const o = new JobObserver<[number]>();
    o.throttleMs = 100;
    const notify = vi.fn();
    o.subscribe(notify, a.job);
    a.set({ stage: 'streaming', outputs: [[1]], data: [1] });
    a.set({ outputs: [[1], [2]], data: [2] }); // throttled
    o.setJob(b.job);
    expect(o.getSnapshot().status).toBe('queued'); // b's
    o.setJob(a.job);
    a.set({ outputs: [[1], [2], [3]], data: [3] });
    expect(o.getSnapshot(a.job).data).toEqual([1]);
    vi.advanceTimersByTime(100); // the throttled update is not lost
    expect(o.getSnapshot(a.job).data).toEqual([3]);
    expect(notify).toHaveBeenCalledTimes(2);
    expect(o.getSnapshot(b.job).status).toBe('queued');
  });
  it('drops a pending throttled update when unsubscribed', () => {
    vi.useFakeTimers();
    const f = fakeJob();
    const o = new JobObserver<[number]>();
    o.throttleMs = 100;
    const notify = vi.fn();
    const off = o.subscribe(notify, f.job);
    f.set({ stage: 'streaming', outputs: [[1]], data: [1] });
    f.set({ outputs: [[1], [2]], data: [2] }); // held for the window
    off();
    vi.advanceTimersByTime(200);
    expect(notify).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shows a job watched again in its state now, not the one it was left at (useJob back on a job that went on meanwhile)', () => {
    const a = fakeJob();
    const b = fakeJob();
    const o = new JobObserver<[number]>();
    o.throttleMs = 60_000;
    o.setJob(a.job);
    const off = o.subscribe(() => {});
    const second = o.subscribe(() => {}, a.job); // a second watcher of a: its published snapshot holds while either watches
    a.set({ stage: 'streaming', outputs: [[4]], data: [4] });
    off();
    a.set({ outputs: [[4], [6]], data: [6] }); // held back by the throttle
    expect(o.getSnapshot().data).toEqual([4]);
    second();
    o.setJob(b.job);
    a.set({ stage: 'success', outputs: [[4], [10]], data: [10], done: true }); // while b is shown
    o.setJob(a.job); // the first render back on a, before any subscription
    expect(o.getSnapshot()).toMatchObject({ status: 'success', data: [10] });
  });

  it('counts an unsubscribe called twice once', () => {
    const a = fakeJob();
    const o = new JobObserver<[number]>();
    o.throttleMs = 60_000;
    const first = o.subscribe(() => {}, a.job);
    const second = o.subscribe(() => {}, a.job);
    a.set({ stage: 'streaming', outputs: [[1]], data: [1] });
    first();
    first(); // would count the second subscription out too
    a.set({ outputs: [[1], [2]], data: [2] }); // held back by the throttle of the one left
    expect(o.getSnapshot(a.job).data).toEqual([1]);
    second();
  });

  it('applies the selector asked for, also to a snapshot already selected with another', () => {
    const f = fakeJob();
    const o = new JobObserver<[number], unknown>();
    f.set({ stage: 'streaming', outputs: [[7]], data: [7] });
    expect(o.getSnapshot(f.job, (s) => s.status)).toBe('streaming');
    expect(o.getSnapshot(f.job, (s) => s.data)).toEqual([7]);
  });

  it('moves a subscription made without a job along with setJob, and notifies it', () => {
    const [a, b] = [fakeJob(), fakeJob()];
    const o = new JobObserver<[number]>();
    const notify = vi.fn();
    const off = o.subscribe(notify); // before any job, as a framework-free UI would
    o.setJob(a.job);
    expect(notify).toHaveBeenCalledTimes(1);
    a.set({ stage: 'running' });
    expect(notify).toHaveBeenCalledTimes(2);
    expect(o.getSnapshot().status).toBe('running');
    o.setJob(a.job); // the same job: nothing moves
    expect(notify).toHaveBeenCalledTimes(2);
    o.setJob(b.job);
    expect(notify).toHaveBeenCalledTimes(3);
    expect([a.listeners.size, b.listeners.size]).toEqual([0, 1]);
    a.set({ stage: 'success', done: true }); // the job left behind
    expect(notify).toHaveBeenCalledTimes(3);
    o.setJob(null);
    expect(o.getSnapshot()).toBe(IDLE);
    off();
    o.setJob(a.job);
    expect(notify).toHaveBeenCalledTimes(4);
    expect([a.listeners.size, b.listeners.size]).toEqual([0, 0]);
  });
});

describe('helpers', () => {
  it('jobState and shallowEqual', () => {
    expect(jobState(null, 'error').isError).toBe(true);
    expect(jobState(null)).toEqual(IDLE);
    expect(shallowEqual({ a: 1 }, { a: 1 })).toBe(true);
    expect(shallowEqual([1, 2], [1, 2])).toBe(true);
    expect(shallowEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(shallowEqual([1], { 0: 1 })).toBe(false);
    expect(shallowEqual([], [])).toBe(true);
    expect(shallowEqual(Object.assign(Object.create(null), { a: 1 }), Object.assign(Object.create(null), { a: 1 }))).toBe(true);
    expect(shallowEqual(null, {})).toBe(false);
    expect(shallowEqual(0, '')).toBe(false);
    // an Error's message is not an entry: two errors alike in their entries are still two errors
    const error = (message: string) => Object.assign(new AppError(message), { title: 'Error' });
    expect(shallowEqual(error('first'), error('second'))).toBe(false);
    expect(shallowEqual(new Date(0), new Date(0))).toBe(false);
  });

  it('a selected error is the error of the job asked for, not an earlier one alike', () => {
    const a = fakeJob();
    const b = fakeJob();
    a.set({ stage: 'error', done: true, error: new AppError('first') });
    b.set({ stage: 'error', done: true, error: new AppError('second') });
    const observer = new JobObserver<[number], unknown>();
    observer.select = (s) => s.error;
    expect((observer.getSnapshot(a.job) as Error).message).toBe('first');
    expect((observer.getSnapshot(b.job) as Error).message).toBe('second');
  });
});
