'use client';
import { useEffect, useInsertionEffect, useState, useSyncExternalStore } from 'react';
import { hashKey, useQuery, useQueryClient } from '@tanstack/react-query';
import { jobState, PredictObserver, type Args, type Client, type GradioError, type Job, type JobState, type PredictObserverOptions } from '@gradio-hooks/client';
import { jobQueryOptions, rerun } from './queryOptions.js';
import { useGradioClient } from './useGradioClient.js';
import { useJob } from './useJob.js';

/** Options of {@link usePredict}: the {@link PredictObserverOptions} (callbacks, `timeout`, `concurrency`) plus these. Callbacks always see the latest props. */
export interface UsePredictOptions<T> extends PredictObserverOptions<T> {
  /**
   * The app: a connected `Client`, or a URL / Space id. Default: the {@link GradioProvider}'s. A URL or
   * Space id is connected without options (the provider's go with its own `src`): for a token, connect
   * with `useGradioClient(src, { token })` and pass its `client`.
   */
  client?: Client | string | undefined;
  /**
   * Query mode: the arguments to call the endpoint with. The call runs when they are set and again
   * when they change, and is cached in TanStack Query by (app session, endpoint, args): components
   * asking for the same call share one job. Leave undefined for imperative use (`submit`/`predict`).
   * With `concurrency: 'replace'` (the default), new `args` cancel the call of the previous ones when
   * no other component uses it.
   */
  args?: Args | undefined;
  /** Query mode only: `false` holds the call back (status `idle`). Default `true`. */
  enabled?: boolean | undefined;
  /** Minimum milliseconds between re-renders caused by new outputs (see `useJob`). Default `0`. */
  throttleMs?: number | undefined;
  /**
   * Cancel the component's unfinished calls when it unmounts (default `true`). In query mode the call
   * is cancelled only when no other component uses it. StrictMode's simulated unmount never cancels.
   */
  cancelOnUnmount?: boolean | undefined;
}

/** What {@link usePredict} returns: the {@link JobState} of the latest call, plus these. */
export interface UsePredictResult<T> extends JobState<T> {
  /** The job the state follows (`null` when idle). */
  job: Job<T> | null;
  /** The connected client, once ready. */
  client: Client | undefined;
  /**
   * Starts a call and returns its job (state and callbacks follow it). It does not throw: a call that
   * cannot start (not connected, a wrong endpoint or arguments) is a job failed with that error.
   */
  submit: (args?: Args) => Job<T>;
  /** Starts a call and resolves with its final outputs (rejects with its error). */
  predict: (args?: Args) => Promise<T>;
  /** Cancels the unfinished calls of this hook (in query mode, the shared call too). */
  cancel: () => void;
  /** Imperative mode: shows no call (status `idle`); the calls started so far go on, without callbacks (`cancel()` first stops them). */
  reset: () => void;
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
  const [ctl] = useState(() => new PredictObserver<T>());
  // an external store: React renders a new call at once, also within an Action (a state update would wait for its end)
  const shown = () => ctl.shown;
  const manual = useSyncExternalStore(ctl.subscribe, shown, shown);

  const queryMode = options.args !== undefined;
  const enabled = queryMode && options.enabled !== false;
  const { queryKey, ...query } = jobQueryOptions<T>(qc, client, endpoint, options.args ?? [], options.timeout);
  const q = useQuery({ queryKey, ...query, enabled: enabled && !!client });
  // A failed or cancelled call that runs again (back to earlier args, a remount) shows as starting, not as its old end.
  const job = queryMode ? ((enabled && !(q.isFetching && rerun(q.data)) && q.data) || null) : manual;
  const state = useJob(job, { throttleMs: options.throttleMs });

  // what handlers and callbacks use, from the render React committed (not one it may drop); set
  // before any layout or passive effect of the commit, so that a child's effect calls with it too
  useInsertionEffect(() => void Object.assign(ctl, { options, endpoint, client, error: clientError, job }));
  useEffect(() => ctl.mount(), [ctl]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: queryKey changes with its hash
  useEffect(() => {
    if (!enabled) return; // a disabled component runs no call, so lets go of none (others may keep it)
    const off = ctl.follow(job);
    return () => {
      if (ctl.mounted) off(); // another job (on unmount, the mount effect's cleanup has run first)
      queueMicrotask(() => {
        // the call of these args, also one this component never rendered (args changed or it
        // unmounted before TanStack told it of the job, or even stored it): no one else would cancel it
        const q = qc.getQueryCache().find<Job<T>>({ queryKey, exact: true });
        ctl.letGo(q && (q.promise ?? q.state.data), () => q?.getObserversCount(), off);
      });
    };
  }, [job, enabled, ctl, qc, hashKey(queryKey)]);

  let result: JobState<T> = state;
  if (queryMode && !job) {
    const error = enabled ? (clientError ?? (q.error as GradioError | null)) : null; // disabled: idle, whatever the connection
    result = jobState<T>(null, error ? 'error' : enabled ? 'queued' : 'idle', error);
  }
  return { ...result, job, client, submit: ctl.submit, predict: ctl.predict, cancel: ctl.cancel, reset: ctl.reset };
}
