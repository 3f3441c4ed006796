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
 * remount; to retry after the error boundary resets, remove the failed query first, e.g.
 * `queryClient.resetQueries({ queryKey: ['gradio-hooks', 'client'] })`.
 *
 * ```tsx
 * <Suspense fallback="Connecting…"><Calculator /></Suspense>
 * // in Calculator:
 * const { client } = useSuspenseGradioClient();
 * ```
 */
export function useSuspenseGradioClient(src?: string | Client, options?: UseGradioClientOptions): UseSuspenseGradioClientResult {
  const [{ client, error, api }, ready] = useClientQueries(src, options, true);
  if (error) throw error;
  if (!client || (options?.api && !api)) throw ready();
  return { client, api };
}
