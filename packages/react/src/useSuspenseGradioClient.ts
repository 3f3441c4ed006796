'use client';
import type { ApiInfo, Client } from '@gradio-hooks/client';
import { useClientQueries, type UseGradioClientOptions } from './useGradioClient.js';

/** What {@link useSuspenseGradioClient} returns: the client is always there. */
export interface UseSuspenseGradioClientResult {
  /** The connected client. */
  client: Client;
  /** The endpoint info, when asked for with `api` (then always loaded). */
  api: ApiInfo | undefined;
}

/**
 * {@link useGradioClient} for React Suspense: suspends until the client is connected (and the
 * endpoint info loaded, with `api`), and throws a failed connection to the nearest error boundary.
 * Like TanStack's `useSuspenseQuery`, it does connect while a streaming server render waits for it;
 * use `useGradioClient` where the server must not connect. A failed connection is not retried on
 * remount; to retry after the error boundary resets, reset the failed queries first:
 * `queryClient.resetQueries({ queryKey: ['gradio-hooks'], predicate: (q) => q.state.status === 'error' })`
 * (resetting every client query would close the connected clients too).
 *
 * ```tsx
 * <Suspense fallback="Connecting…"><Calculator /></Suspense>
 * // in Calculator:
 * const { client } = useSuspenseGradioClient();
 * ```
 */
export function useSuspenseGradioClient(src?: string | Client, options?: UseGradioClientOptions): UseSuspenseGradioClientResult {
  const [{ client, error, api }, ready, asked] = useClientQueries(src, options, true);
  if (error) throw error;
  if (!client || (asked && !api)) throw ready();
  return { client, api };
}
