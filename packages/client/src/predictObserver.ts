import type { Client } from './client.js';
import { endpointKey, type Args } from './endpoint.js';
import { ConnectionError, type GradioError } from './errors.js';
import { isolated, Job, notify, type CancelOptions, type JobDriver, type JobSnapshot } from './job.js';
import { statusOf, type PredictStatus } from './jobObserver.js';
import type { LogMessage } from './types.js';

/** The cancels that no user asked for leave the calls of other components alone. */
const SPARE: CancelOptions = { spareOthers: true };

/**
 * The statuses a job went through between two of its notifications: `queued` before it ran,
 * `running` before an output or its end (the server starts a job before it answers), and
 * `streaming` before the end of a generator (its yields may come in one chunk with its end).
 */
const skipped = (from: PredictStatus, to: PredictStatus, streamed: boolean): PredictStatus[] => {
  const ran = streamed || to === 'running' || to === 'streaming' || to === 'success';
  return [
    ...(ran && from === 'idle' ? (['queued'] as const) : []),
    ...(to !== 'running' && ran && (from === 'idle' || from === 'queued') ? (['running'] as const) : []),
    ...(streamed && from !== 'streaming' && to !== 'streaming' ? (['streaming'] as const) : []),
  ];
};

/** The driver of a call that could not start: nothing was sent, so there is nothing to ask the server. */
const UNSENT: JobDriver<unknown> = { output: (d) => d, cancel: async () => {}, send: async () => false, diffs: false };

/** Options of a {@link PredictObserver}. Callbacks are read when they fire, so they may change at any time. */
export interface PredictObserverOptions<T> {
  /** Milliseconds a call may take before it fails with a `TimeoutError` and is cancelled. Default: none. */
  timeout?: number | undefined;
  /**
   * What a new call does to the previous one that still runs: `'replace'` (default) cancels it
   * (sparing the calls of others, see {@link CancelOptions}); `'parallel'` lets it run (the shown
   * job is the newest).
   */
  concurrency?: 'replace' | 'parallel' | undefined;
  /** Called on every status change (see {@link PredictStatus}), including those a fast job went through between two notifications (`queued`, `running` before its first output, `streaming` before the end of a generator whose yields came with it): each call starts with `queued` (even one cancelled or failed before any news of it) and has one end, but for a call refused at once (`error` alone). */
  onStatus?: ((status: PredictStatus, job: Job<T>) => void) | undefined;
  /** Called with every output, in order: each generator yield, or the single result. */
  onData?: ((data: T, job: Job<T>) => void) | undefined;
  /** Called with the final outputs. */
  onSuccess?: ((data: T, job: Job<T>) => void) | undefined;
  /** Called when the call fails (not when it is cancelled: see `onStatus`). */
  onError?: ((error: GradioError, job: Job<T>) => void) | undefined;
  /** Called with every `gr.Info` / `gr.Warning` / `gr.Success` message, in order (e.g. to show toasts). */
  onLog?: ((log: LogMessage, job: Job<T>) => void) | undefined;
  /** Cancel the unfinished calls started by `submit` when the last user unmounts (see {@link PredictObserver.mount}), and a call started when none is left. Default `true`. */
  cancelOnUnmount?: boolean | undefined;
}

/**
 * Framework-free engine of React's `usePredict` (usable from any UI library): calls one endpoint of
 * a client, applies the concurrency rule, fires the callbacks for every change of its jobs and
 * reports the job to show ({@link PredictObserver.shown}, with {@link PredictObserver.subscribe}).
 * Pair it with a {@link JobObserver} for the job's state.
 *
 * `submit`, `predict`, `cancel` and `reset` are bound: pass them around as they are.
 *
 * ```ts
 * const observer = new JobObserver<[number]>(); // the shown job's state, for the UI
 * observer.subscribe(() => show(observer.getSnapshot())); // follows setJob
 * const caller = new PredictObserver<[number]>();
 * caller.subscribe(() => observer.setJob(caller.shown));
 * caller.client = client;
 * caller.endpoint = '/calculate';
 * caller.options = { onSuccess: ([sum]) => show(sum) };
 * caller.submit({ a: 2, b: 3 });
 * ```
 * @typeParam T - the endpoint's outputs tuple.
 */
export class PredictObserver<T = unknown[]> {
  /** The latest options; callbacks are looked up here each time they fire. */
  options: PredictObserverOptions<T> = {};
  /** The client to call; while there is none, `submit` gives a job failed with a `ConnectionError`. */
  client: Client | undefined;
  /** `"/name"`, `"name"` or a fn index. */
  endpoint: string | number = '';
  /** Why there is no client: the error of the jobs `submit` gives meanwhile (instead of the generic "not connected"). */
  error: GradioError | null = null;
  /** The job shown by the owner (the latest submitted one, or one the owner set); `cancel()` cancels it too. */
  job: Job<T> | null = null;
  #jobs = new Set<Job<T>>();
  #watched = new Map<Job<T>, () => void>();
  #users = 0;
  /** A user has left (see {@link PredictObserver.mount}). */
  #left = false;
  #listeners = new Set<() => void>();
  /** The job that `submit` showed last, `null` at first and after `reset` (see {@link PredictObserver.subscribe}). */
  shown: Job<T> | null = null;

  /**
   * Fires the callbacks for the changes of `job` after the snapshot `prev` (`null`: from the start,
   * and a job under way reports `queued` at once), until the job ends, in the order of events: `onStatus` for a new stage, `onLog` and `onData`
   * for each new log and output, and at the end `onStatus` then `onSuccess` or `onError`. Returns
   * the function that stops it. A job already watched keeps its watch (the same function is returned).
   */
  watch(job: Job<T>, prev: JobSnapshot<T> | null = null): () => void {
    const known = this.#watched.get(job);
    if (known) return known;
    const off = () => {
      stop();
      this.#watched.delete(job);
    };
    this.#watched.set(job, off);
    let seen = prev?.outputs.length ?? 0;
    let logs = prev?.logs.length ?? 0;
    let from = statusOf(prev);
    // A call under way starts queued: said at once, before the news of any later call (one refused
    // at once, already failed, reports its end only).
    if (!prev && !job.getSnapshot().done) isolated(this.options.onStatus, (from = 'queued'), job);
    const stop = job.subscribe(() => {
      const s = job.getSnapshot();
      const o = this.options;
      const status = statusOf(s);
      const changed = status !== from;
      // In the order of events: a new stage (and those passed since the last change: one task can
      // carry several of the job's messages), then the logs and outputs, and an end after them all.
      if (changed) for (const passed of skipped(from, status, job.streamed)) isolated(o.onStatus, passed, job);
      if (changed && !s.done) isolated(o.onStatus, status, job);
      for (; logs < s.logs.length; logs++) isolated(o.onLog, s.logs[logs]!, job);
      // the new outputs only (reading s.outputs would copy them all, at every change)
      const fresh = job.outputsFrom(seen);
      seen += fresh.length;
      for (const data of fresh) isolated(o.onData, data, job);
      if (s.done) {
        off();
        if (changed) isolated(o.onStatus, status, job);
        if (s.stage === 'success') isolated(o.onSuccess, s.data as T, job);
        else if (s.error && s.stage === 'error') isolated(o.onError, s.error, job);
      }
      from = status;
    });
    return off;
  }

  /**
   * Watches a job this observer did not submit (a shared one, say), from now on: `onStatus` gets its
   * current status at once, then {@link PredictObserver.watch} follows its changes. Once per job
   * while it is watched (the same function is returned). `null`: none (a function that does nothing).
   */
  follow(job: Job<T> | null): () => void {
    if (!job) return () => {};
    const known = this.#watched.get(job);
    if (known) return known;
    const now = job.getSnapshot();
    const off = this.watch(job, now);
    if (!now.done) isolated(this.options.onStatus, statusOf(now), job);
    return off;
  }

  /**
   * Starts a call and returns its job, which becomes the shown one. It does not throw: a call that
   * cannot start (no client yet, or its connection `error`; a wrong endpoint or arguments) is a job
   * failed with that error, shown and reported to `onError` like any other failure. One refused at
   * once (no client, a wrong endpoint, surplus positional arguments) cancels no earlier call;
   * arguments checked against the app's parameters (keyword ones, left-out ones: they need `/info`)
   * fail it a moment later, when `'replace'` has cancelled the earlier calls.
   */
  submit = (args: Args = []): Job<T> => {
    const { client, options } = this;
    let replaced = options.concurrency === 'parallel' ? [] : [...this.#jobs];
    let job: Job<T>;
    try {
      if (!client) throw this.error ?? new ConnectionError("Not connected yet: call once the client is there (the hooks return it as `client`, with status 'ready').");
      job = client.submit<T>(this.endpoint, args, { timeout: options.timeout });
      const jobs = this.#jobs.add(job);
      const drop = () => void jobs.delete(job);
      job.result().then(drop, drop);
    } catch (e) {
      job = new Job(String(endpointKey(this.endpoint)), UNSENT as JobDriver<T>);
      job.fail(e as GradioError);
      replaced = []; // a call refused for its arguments cancels nothing
    }
    this.watch(job);
    this.#show(job);
    // once the new call is shown (no UI shows the replaced one cancelled in between); in the same
    // task, as the client makes the new call's join wait for these cancels
    for (const j of replaced) void j.cancel(SPARE);
    // a call started when its users have left (after an unmount, or hidden by React's <Activity>)
    if (this.#left) queueMicrotask(() => this.mounted || options.cancelOnUnmount === false || void job.cancel(SPARE));
    return job;
  };

  /**
   * Starts a call ({@link PredictObserver.submit}) and resolves with its final outputs, or rejects
   * with its error. Like {@link Job.result}, a rejection nobody handles is not reported as unhandled:
   * the error is in the job's state and `onError` (so `onClick={() => predict(args)}` is fine).
   */
  predict = (args?: Args): Promise<T> => this.submit(args).result();

  /** Cancels the unfinished calls started by `submit` and the shown job. */
  cancel = (): void => {
    this.cancelSubmitted();
    void this.job?.cancel();
  };

  /**
   * Shows no job (`shown` is `null`) and forgets the calls started by `submit`: they go on (cancel them
   * first to stop them; {@link PredictObserver.cancel} and an unmount still do), but fire no more callbacks.
   */
  reset = (): void => {
    for (const j of this.#jobs) this.#watched.get(j)?.();
    this.#show(null);
  };

  /**
   * Calls `listener` when the job shown by `submit` and `reset` ({@link PredictObserver.shown})
   * changes. Returns the unsubscribe function. With `() => observer.shown` it fits
   * `useSyncExternalStore`, whose updates React renders at once, also within an Action or a
   * transition (which would hold back a state update until its end).
   */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  #show(job: Job<T> | null): void {
    this.job = this.shown = job;
    notify(this.#listeners); // one failing does not stop the call (nor the cancel of the one it replaces)
  }

  /**
   * Cancels the unfinished calls started by `submit` (not a shown job set by the owner).
   * `options.spareOthers` (used for the cancels the user did not ask for: a replaced call, an
   * unmount): see {@link CancelOptions}.
   */
  cancelSubmitted(options?: CancelOptions): void {
    this.#jobs.forEach((j) => void j.cancel(options));
  }

  /**
   * Registers a user (a mounted component); call the returned function when it goes away. When the
   * last user has left and none came back by the end of the current task, the calls started by
   * `submit` are cancelled (unless `cancelOnUnmount` is `false`). So React StrictMode's simulated
   * unmount, which mounts again at once, cancels nothing.
   */
  mount(): () => void {
    this.#users++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#users--;
      this.#left = true;
      queueMicrotask(() => this.mounted || this.options.cancelOnUnmount === false || this.cancelSubmitted(SPARE));
    };
  }

  /**
   * For a cache of shared calls (React's query mode): its owner no longer shows the call `job` (or
   * the fetch that gives it: its owner may not have seen it yet) — new arguments, or the owner left
   * (call it a task after, when {@link PredictObserver.mounted} tells which). The job is cancelled,
   * sparing other components' calls, unless `used()` says another one shows it, or the options
   * keep it (`concurrency: 'parallel'` while mounted; `cancelOnUnmount: false`, which also keeps
   * its callbacks: it is followed, if its owner never was). `off` (the end of its
   * {@link PredictObserver.follow}) is called when the owner left for good, unless kept.
   */
  letGo(job: Job<T> | PromiseLike<Job<T> | undefined> | undefined, used: () => unknown, off: () => void): void {
    const o = this.options;
    const kept = !this.mounted && o.cancelOnUnmount === false;
    if (kept || (this.mounted && o.concurrency === 'parallel')) {
      if (kept) void Promise.resolve(job).then((j) => j && this.follow(j), () => {});
      return;
    }
    if (!this.mounted) off();
    void Promise.resolve(job).then((j) => used() || j?.cancel(SPARE), () => {});
  }

  /** Whether a user registered with {@link PredictObserver.mount} is still there. */
  get mounted(): boolean {
    return this.#users > 0;
  }
}
