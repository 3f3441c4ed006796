import type { GradioError } from './errors.js';
import type { Job, JobSnapshot } from './job.js';
import type { QueueInfo } from './types.js';

/**
 * The status of a call as observers and the React hooks report it: the client's `JobStage`, plus `idle` (nothing
 * submitted yet); the client's `pending` (submitted, not yet in the queue) is reported as `queued`.
 *
 * | from | to | when |
 * |---|---|---|
 * | `idle` | `queued` | `submit()`/`predict()` was called, or query-mode `args` are set |
 * | `queued` | `running` | the server started the job (or sent its first progress) |
 * | `running` | `streaming` | a generator yielded its first output |
 * | `queued`, `running`, `streaming` | `success` | the job finished with outputs |
 * | `idle` | `error` | a call that cannot start: not connected, a wrong endpoint or arguments |
 * | `queued`, `running`, `streaming` | `error` | `gr.Error`/exception, lost connection, timeout, full queue, wrong arguments |
 * | `queued`, `running`, `streaming` | `cancelled` | `cancel()`, unmount (`cancelOnUnmount`), a replacing submit, `client.close()`, Gradio's cancel of another call of the endpoint |
 * | any | `idle` | `reset()` (imperative mode), `useJob(null)`, query mode with `enabled: false` |
 * | any | `queued` | a new call takes the place of the shown one |
 * | `idle` | `running`, `streaming` | query mode: `enabled` again while the call still runs |
 *
 * `success`, `error` and `cancelled` are terminal for a job; a new submit starts again at `queued`.
 * A state read when a fast job has moved on shows it past a status (`queued` to `success`);
 * `PredictObserver`'s `onStatus` gets every one, in order.
 */
export type PredictStatus = 'idle' | 'queued' | 'running' | 'streaming' | 'success' | 'error' | 'cancelled';

/** The state of one job (or of none: `idle`) as {@link JobObserver} and the React hooks give it. Immutable; replaced on change. */
export interface JobState<T> extends Pick<JobSnapshot<T>, 'queue' | 'progress' | 'logs' | 'outputs' | 'data'> {
  /** See {@link PredictStatus} for the transition table. */
  readonly status: PredictStatus;
  /** Why the job failed or was cancelled. */
  readonly error: GradioError | null;
  /** `status === 'idle'`. */
  readonly isIdle: boolean;
  /** `queued`, `running` or `streaming`: the job is alive. */
  readonly isPending: boolean;
  /** `status === 'streaming'`. */
  readonly isStreaming: boolean;
  /** `status === 'success'`. */
  readonly isSuccess: boolean;
  /** `status === 'error'`. */
  readonly isError: boolean;
  /** `status === 'cancelled'`. */
  readonly isCancelled: boolean;
  /** The client's raw snapshot (event id, wire status code, …), or `null` when idle. */
  readonly snapshot: JobSnapshot<T> | null;
}

const NO_QUEUE: QueueInfo = { position: null, size: null, eta: null };
const NONE: readonly never[] = [];

/** The {@link PredictStatus} of a job snapshot (`null` = idle). */
export const statusOf = (s: JobSnapshot<unknown> | null): PredictStatus =>
  !s ? 'idle' : s.stage === 'pending' ? 'queued' : s.stage;

/**
 * Builds a {@link JobState} from a job snapshot (`null` = idle), or, with `status` (and `error`),
 * the state of a call that has no job yet.
 */
export function jobState<T>(s: JobSnapshot<T> | null, status = statusOf(s), error: GradioError | null = s?.error ?? null): JobState<T> {
  return {
    // first: two states of different snapshots differ there, before the outputs are compared (and copied)
    snapshot: s,
    status,
    queue: s?.queue ?? NO_QUEUE,
    progress: s?.progress ?? null,
    logs: s?.logs ?? NONE,
    get outputs() {
      return s?.outputs ?? NONE; // copied when read (see Job.getSnapshot)
    },
    data: s?.data,
    error,
    isIdle: status === 'idle',
    isPending: status === 'queued' || status === 'running' || status === 'streaming',
    isStreaming: status === 'streaming',
    isSuccess: status === 'success',
    isError: status === 'error',
    isCancelled: status === 'cancelled',
  };
}

/** @internal The idle state (no job), one object. */
export const IDLE: JobState<never> = jobState(null);

/**
 * @internal True when `a` and `b` are equal, or are both arrays or both plain objects whose entries
 * are `Object.is`-equal. Anything else (an `Error`, whose `message` is not an entry; a `Date`) is
 * equal only to itself.
 */
export function shallowEqual(a: unknown, b: unknown): boolean {
  const proto = (v: unknown) => (v && typeof v === 'object' ? Object.getPrototypeOf(v) : undefined);
  const p = proto(a);
  if (Object.is(a, b)) return true;
  if ((p !== Object.prototype && p !== Array.prototype && p !== null) || p !== proto(b)) return false;
  const keys = Object.keys(a as object);
  return keys.length === Object.keys(b as object).length && keys.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Framework-free store behind React's `useJob` (usable from any UI library): watches {@link Job}s, publishes their snapshots (throttling
 * output-only updates), maps them to a {@link JobState} and applies a selector. `getSnapshot()`
 * returns the same reference until what the selector returns changes (shallowly), so it fits
 * `useSyncExternalStore` and limits re-renders to what a component reads.
 *
 * `subscribe(notify)` follows the job of {@link JobObserver.setJob}. React's `useJob` subscribes
 * to one job each time, and `getSnapshot(job)` reads the one asked for: a render for another job
 * that React does not commit (a pending transition) changes nothing for the one on screen. Create
 * one per component instance and keep it (React: `useState(() => new JobObserver())`); it holds no
 * resource until {@link JobObserver.subscribe} is called, so React StrictMode's double mount is
 * harmless.
 */
export class JobObserver<T, S = JobState<T>> {
  /** Applied to each published state; the default returns the state itself. */
  select: ((state: JobState<T>) => S) | undefined;
  /** Minimum milliseconds between two output-only updates (0 = none). */
  throttleMs = 0;
  /** The job of {@link JobObserver.setJob}: what `subscribe` and `getSnapshot` take by default. */
  #job: Job<T> | null = null;
  /** The published snapshot of each job subscribed to, and how many subscriptions it has. */
  #raw = new WeakMap<Job<T>, JobSnapshot<T>>();
  #subs = new WeakMap<Job<T>, number>();
  #memo: [JobSnapshot<T> | null, JobObserver<T, S>['select'], S] | undefined;

  /** Subscriptions that follow {@link JobObserver.setJob}: each moves to the new job. */
  #followers = new Set<() => void>();

  /**
   * Points the observer at `job` (`null` = idle), the default of `getSnapshot`; the subscriptions
   * made without a job move to it, and are notified.
   */
  setJob(job: Job<T> | null): void {
    if (job === this.#job) return;
    this.#job = job;
    [...this.#followers].forEach((move) => move());
  }

  /**
   * Calls `notify` whenever the published state of `job` may have changed; without `job`, of the
   * current job, following {@link JobObserver.setJob}. Returns the unsubscribe function (which also
   * drops a pending throttled update).
   */
  subscribe = (notify: () => void, job?: Job<T> | null): (() => void) => {
    if (job === undefined) {
      let off = this.subscribe(notify, this.#job);
      const move = () => {
        off();
        off = this.subscribe(notify, this.#job);
        notify();
      };
      this.#followers.add(move);
      return () => {
        this.#followers.delete(move);
        off();
      };
    }
    if (!job) return () => {};
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const publish = () => {
      clearTimeout(timer);
      timer = undefined;
      this.#raw.set(job, job.getSnapshot());
      last = Date.now();
      notify();
    };
    const off = job.subscribe(() => {
      const next = job.getSnapshot();
      const prev = this.#raw.get(job);
      const wait = this.throttleMs - (Date.now() - last);
      // Only output updates are throttled: stage, queue, progress and logs changes pass at once, as does the end.
      const outputOnly = prev && next.stage === prev.stage && next.queue === prev.queue && next.progress === prev.progress && next.logs === prev.logs;
      if (!outputOnly || wait <= 0) publish();
      else timer ??= setTimeout(publish, wait);
    });
    this.#raw.set(job, job.getSnapshot()); // catch up with changes made before the subscription
    this.#subs.set(job, (this.#subs.get(job) ?? 0) + 1);
    let on = true;
    return () => {
      if (!on) return; // once (a second call would count it out twice)
      on = false;
      off();
      clearTimeout(timer);
      // unwatched, it is read live (shown again, it shows its state now, not the one it was left at)
      const left = this.#subs.get(job)! - 1;
      this.#subs.set(job, left);
      if (!left) this.#raw.delete(job);
    };
  };

  /** The selected state of `job`'s published snapshot (the current job's by default); stable until it changes. */
  getSnapshot = (job = this.#job, select = this.select): S => {
    const raw = job && (this.#raw.get(job) ?? job.getSnapshot());
    const memo = this.#memo;
    if (memo && memo[0] === raw && memo[1] === select) return memo[2];
    const state = raw ? jobState(raw) : IDLE;
    const next = select ? select(state) : (state as S);
    const value = memo && shallowEqual(memo[2], next) ? memo[2] : next;
    this.#memo = [raw, select, value];
    return value;
  };
}
