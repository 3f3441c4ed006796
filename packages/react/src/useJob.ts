'use client';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { JobObserver, type Job, type JobState } from '@gradio-hooks/client';

/** Options of {@link useJob}. */
export interface UseJobOptions<T, S = JobState<T>> {
  /**
   * Picks what the component reads; it re-renders only when the picked value changes (compared
   * shallowly). E.g. `(s) => ({ status: s.status, queue: s.queue })` for a queue bar that ignores output
   * updates (inside an object: `s.queue` alone, compared shallowly, would keep the last estimate when a
   * new one has the same numbers). Default: the whole state.
   */
  select?: ((state: JobState<T>) => S) | undefined;
  /**
   * Minimum milliseconds between two re-renders caused by new outputs (default 0: none). Status,
   * queue, progress and log changes are never throttled, and the final value is never dropped.
   */
  throttleMs?: number | undefined;
}

/**
 * Subscribes to a {@link Job} (from `client.submit()` or `usePredict().submit()`) and returns its
 * {@link JobState} — or what `select` picks from it — through `useSyncExternalStore`.
 * `null`/`undefined` means idle: nothing is opened.
 *
 * ```tsx
 * const { status, data, queue } = useJob(job, { throttleMs: 50 });
 * const position = useJob(job, { select: (s) => s.queue.position });
 * ```
 */
export function useJob<T = unknown[]>(job: Job<T> | null | undefined, options?: UseJobOptions<T>): JobState<T>;
export function useJob<T, S>(job: Job<T> | null | undefined, options: UseJobOptions<T, S> & { select: (state: JobState<T>) => S }): S;
export function useJob<T, S>(job: Job<T> | null | undefined, options: UseJobOptions<T, S> = {}): S {
  const [observer] = useState(() => new JobObserver<T, S>());
  const current = job ?? null;
  // nothing is written during render (React may not commit it): the job and select are read per call
  useEffect(() => void (observer.throttleMs = options.throttleMs ?? 0));
  const subscribe = useCallback((notify: () => void) => observer.subscribe(notify, current), [observer, current]);
  const read = () => observer.getSnapshot(current, options.select);
  return useSyncExternalStore(subscribe, read, read);
}
