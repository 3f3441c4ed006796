'use client';
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ConnectionError, type Args, type Client, type GradioError, type Job, type JobSnapshot, type LogMessage } from '@gradio-hooks/client';
import { IDLE, statusOf, toState, type JobState, type PredictStatus } from './jobObserver.js';
import { jobQueryOptions } from './queryOptions.js';
import { useGradioClient } from './useGradioClient.js';
import { useJob } from './useJob.js';

/** Options of {@link usePredict}. Callbacks always see the latest props. */
export interface UsePredictOptions<T> {
  /** The app: a connected `Client`, or a URL / Space id. Default: the {@link GradioProvider}'s. */
  client?: Client | string;
  /**
   * Query mode: the arguments to call the endpoint with. The call runs when they are set and again
   * when they change, and is cached in TanStack Query by (app session, endpoint, args): components
   * asking for the same call share one job. Leave undefined for imperative use (`submit`/`predict`).
   */
  args?: Args;
  /** Query mode only: `false` holds the call back (status `idle`). Default `true`. */
  enabled?: boolean;
  /** Milliseconds a call may take before it fails with a `TimeoutError` and is cancelled. Default: none. */
  timeout?: number;
  /** Minimum milliseconds between re-renders caused by new outputs (see `useJob`). Default `0`. */
  throttleMs?: number;
  /**
   * What a new call does to the previous one that still runs: `'replace'` (default) cancels it;
   * `'parallel'` lets it run (the state follows the newest). In query mode, `'replace'` cancels the
   * call of the previous `args` when no other component uses it.
   */
  concurrency?: 'replace' | 'parallel';
  /**
   * Cancel the component's unfinished calls when it unmounts (default `true`). In query mode the call
   * is cancelled only when no other component uses it. StrictMode's simulated unmount never cancels.
   */
  cancelOnUnmount?: boolean;
  /** Called on every status change (see {@link PredictStatus}). */
  onStatus?: (status: PredictStatus, job: Job<T>) => void;
  /** Called with every output, in order: each generator yield, or the single result. */
  onData?: (data: T, job: Job<T>) => void;
  /** Called with the final outputs. */
  onSuccess?: (data: T, job: Job<T>) => void;
  /** Called when the call fails (not when it is cancelled: see `onStatus`). */
  onError?: (error: GradioError, job: Job<T>) => void;
  /** Called with every `gr.Info` / `gr.Warning` / `gr.Success` message, in order (e.g. to show toasts). */
  onLog?: (log: LogMessage, job: Job<T>) => void;
}

/** What {@link usePredict} returns: the {@link JobState} of the latest call, plus these. */
export interface UsePredictResult<T> extends JobState<T> {
  /** The job the state follows (`null` when idle). */
  job: Job<T> | null;
  /** The connected client, once ready. */
  client: Client | undefined;
  /**
   * Starts a call and returns its job (state and callbacks follow it).
   * @throws the connection error, or a `ConnectionError` while not connected; `EndpointNotFoundError` / `ArgumentError` for a wrong call.
   */
  submit: (args?: Args) => Job<T>;
  /** Starts a call and resolves with its final outputs (rejects with its error). */
  predict: (args?: Args) => Promise<T>;
  /** Cancels the unfinished calls of this hook (in query mode, the shared call too). */
  cancel: () => void;
  /** Imperative mode: forgets the latest call (status `idle`) without cancelling it. */
  reset: () => void;
}

/** Calls a user callback; an exception is reported asynchronously instead of breaking the job's listeners. */
function call<A extends unknown[]>(fn: ((...args: A) => void) | undefined, ...args: A): void {
  try {
    fn?.(...args);
  } catch (e) {
    setTimeout(() => {
      throw e;
    });
  }
}

/**
 * Per-hook-instance state that must not cause renders: the latest props (`o`, `endpoint`, `client`,
 * `error`), the job shown, the mount count, and the imperative functions. A closure, not a class,
 * so the minifier can shorten its internals.
 */
function controller<T>(show: (job: Job<T> | null) => void) {
  const jobs = new Set<Job<T>>();
  const cancelJobs = () => jobs.forEach((j) => void j.cancel());
  /** Fires the callbacks for the changes of `job` after `prev`, until it ends. */
  const watch = (job: Job<T>, prev: JobSnapshot<T> | null) => {
    const off = job.subscribe(() => {
      const s = job.getSnapshot();
      const o = c.o;
      const status = statusOf(s);
      if (status !== statusOf(prev)) call(o.onStatus, status, job);
      for (let i = prev?.logs.length ?? 0; i < s.logs.length; i++) call(o.onLog, s.logs[i]!, job);
      for (let i = prev?.outputs.length ?? 0; i < s.outputs.length; i++) call(o.onData, s.outputs[i]!, job);
      if (s.done) {
        off();
        if (s.stage === 'success') call(o.onSuccess, s.data as T, job);
        else if (s.error && s.stage === 'error') call(o.onError, s.error, job);
      }
      prev = s;
    });
    return off;
  };
  const submit = (args: Args = []): Job<T> => {
    const { client, o } = c;
    if (!client) throw c.error ?? new ConnectionError('Not connected yet: wait for `client`.');
    if (o.concurrency !== 'parallel') cancelJobs();
    const job = client.submit<T>(c.endpoint, args, { timeout: o.timeout });
    jobs.add(job);
    const drop = () => void jobs.delete(job);
    job.result().then(drop, drop);
    watch(job, null);
    show(job);
    return job;
  };
  const c = {
    o: {} as UsePredictOptions<T>,
    endpoint: '' as string | number,
    client: undefined as Client | undefined,
    error: null as GradioError | null,
    shown: null as Job<T> | null,
    mounted: 0,
    cancelJobs,
    watch,
    submit,
    predict: (args?: Args): Promise<T> => new Promise((resolve) => resolve(submit(args).result())),
    cancel: (): void => {
      cancelJobs();
      void c.shown?.cancel();
    },
    reset: (): void => show(null),
  };
  return c;
}

/**
 * Calls a Gradio endpoint and follows the call: status, queue position, progress, logs, every
 * streamed output, the result or the error.
 *
 * - **Imperative**: `submit(args)` returns the {@link Job}; `predict(args)` a Promise of the outputs.
 * - **Query mode** (`args` given): runs when `args` change, cached and deduplicated by TanStack Query.
 *
 * ```tsx
 * const { predict, data, status } = usePredict<[number]>('/calculate');
 * const stream = usePredict<[string]>('/stream_text', { args: { prompt }, throttleMs: 50 });
 * ```
 * @typeParam T - the endpoint's outputs tuple (State outputs removed), e.g. `[number]`.
 * @param endpoint - `"/name"`, `"name"` or a fn index.
 */
export function usePredict<T = unknown[]>(endpoint: string | number, options: UsePredictOptions<T> = {}): UsePredictResult<T> {
  const { client, error: clientError } = useGradioClient(options.client);
  const qc = useQueryClient();
  const [manual, setManual] = useState<Job<T> | null>(null);
  const [ctl] = useState(() => controller<T>(setManual));
  Object.assign(ctl, { o: options, endpoint, client, error: clientError });

  const queryMode = options.args !== undefined;
  const enabled = queryMode && options.enabled !== false;
  const { queryKey, ...query } = jobQueryOptions<T>(qc, client, endpoint, options.args ?? [], options.timeout);
  const q = useQuery({ queryKey, ...query, enabled: enabled && !!client });
  const job = queryMode ? (q.data ?? null) : manual;
  ctl.shown = job;
  const state = useJob(job, { throttleMs: options.throttleMs });

  useEffect(() => {
    ctl.mounted++;
    return () => {
      ctl.mounted--;
      // After StrictMode's simulated unmount the effect mounts again before this runs.
      queueMicrotask(() => ctl.mounted || ctl.o.cancelOnUnmount === false || ctl.cancelJobs());
    };
  }, [ctl]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: queryKey belongs to job; they change together
  useEffect(() => {
    if (!queryMode || !job) return;
    const off = ctl.watch(job, job.getSnapshot());
    return () => {
      off();
      queueMicrotask(() => {
        const users = qc.getQueryCache().find({ queryKey, exact: true })?.getObserversCount();
        if (!users && (ctl.mounted ? ctl.o.concurrency !== 'parallel' : ctl.o.cancelOnUnmount !== false)) void job.cancel();
      });
    };
  }, [job, queryMode, ctl, qc]);

  let result: JobState<T> = state;
  if (queryMode && !job) {
    const error = clientError ?? (q.error as GradioError | null);
    result = error ? toState<T>(null, 'error', error) : enabled ? toState<T>(null, 'queued') : IDLE;
  }
  return { ...result, job, client, submit: ctl.submit, predict: ctl.predict, cancel: ctl.cancel, reset: ctl.reset };
}
