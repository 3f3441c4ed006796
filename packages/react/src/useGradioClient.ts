'use client';
import { useContext } from 'react';
import { QueryClientContext, useQuery } from '@tanstack/react-query';
import { appSource, ArgumentError, type ApiInfo, type Client, type ClientOptions, type GradioError } from '@gradio-hooks/client';
import { GradioContext } from './GradioProvider.js';
import { apiQueryOptions, clientQueryOptions, manage } from './queryOptions.js';

/** Options of {@link useGradioClient}: the client's connect options plus these. */
export interface UseGradioClientOptions extends ClientOptions {
  /** Also load the endpoint info (`client.viewApi()`): `true` for the public endpoints, `'all'` to include undocumented ones. Default `false`. */
  api?: boolean | 'all' | undefined;
  /** Milliseconds a connection nobody uses stays cached before it is closed (TanStack `gcTime`; default 5 minutes). */
  gcTime?: number | undefined;
  /** Retries of a failed connection, and of its endpoint info (TanStack `retry`; default `false`). */
  retry?: boolean | number | undefined;
}

/** Connection status: `connecting` (also while retrying), `ready`, or `error`. */
export type GradioClientStatus = 'connecting' | 'ready' | 'error';

/** What {@link useGradioClient} returns. */
export interface UseGradioClientResult {
  /** The connected client, once `ready`. */
  client: Client | undefined;
  /** `connecting` (also while retrying), `ready` or `error`. */
  status: GradioClientStatus;
  /** Why the connection (or loading the endpoint info) failed. */
  error: GradioError | null;
  /** The endpoint info, when asked for with `api` and loaded. */
  api: ApiInfo | undefined;
  /** Tries a failed connection (or endpoint info) again; a no-op while connected. */
  reconnect: () => void;
}

/** @internal The shared implementation of `useGradioClient` and `useSuspenseGradioClient`. */
export function useClientQueries(src?: string | Client, options?: UseGradioClientOptions, suspense?: boolean): [UseGradioClientResult, () => Promise<unknown>, boolean | 'all' | undefined] {
  const context = useContext(GradioContext);
  const qc = useContext(QueryClientContext);
  const source = src ?? context?.client ?? context?.src;
  if (!qc || source === undefined) {
    throw new ArgumentError(qc ? 'No Gradio app: pass a src or client, or use <GradioProvider> (its src is undefined?).' : 'No QueryClient: use <GradioProvider>.');
  }
  manage(qc);
  const given = typeof source === 'string' ? undefined : source;
  // the hook's options over the provider's; one left undefined is left out, not a replacement
  const o: UseGradioClientOptions = { ...(src === undefined && context?.options) };
  for (const [k, v] of Object.entries(options ?? {})) if (v !== undefined) (o as Record<string, unknown>)[k] = v;
  // as connect() reads it, so that " url", "url/" and "url" share one client
  const connect = clientQueryOptions(qc, given ? '' : appSource(source as string, o.hubUrl), o);
  const q = useQuery({ ...connect, enabled: !given, retryOnMount: !suspense });
  const client = given ?? q.data;
  const all = o.api === 'all';
  const info = apiQueryOptions(client, all);
  const a = useQuery({ ...info, retry: connect.retry, enabled: !!client && !!o.api, retryOnMount: !suspense });
  const error = ((!q.isFetching && q.error) || (!a.isFetching && a.error) || null) as GradioError | null;
  const status: GradioClientStatus = client ? 'ready' : error ? 'error' : 'connecting';
  const ready = async () => {
    const c = given ?? (await qc.fetchQuery(connect));
    if (o.api) await qc.fetchQuery(apiQueryOptions(c, all));
  };
  const reconnect = () => {
    if (q.isError) void q.refetch();
    if (a.isError) void a.refetch();
  };
  return [{ client, status, error, api: a.data, reconnect }, ready, o.api]; // o.api: the provider's too
}

/**
 * Connects to a Gradio app through TanStack Query, so every component asking for the same app (same
 * `src` and identity options: `token`, `oauthToken`, `auth`, `headers`, `sessionHash`, `credentials`, `hubUrl`)
 * shares one {@link Client}. The client is closed when its query is garbage-collected (`gcTime` after
 * the last user unmounted) or removed. Nothing connects during server rendering.
 *
 * @param src - a URL or Space id, or a connected `Client`; default: the {@link GradioProvider}'s.
 *
 * ```tsx
 * const { client, status, error, api } = useGradioClient('http://127.0.0.1:7860', { api: true });
 * ```
 */
export function useGradioClient(src?: string | Client, options?: UseGradioClientOptions): UseGradioClientResult {
  return useClientQueries(src, options)[0];
}
