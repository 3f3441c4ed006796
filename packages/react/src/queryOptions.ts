import { Client, connectionId, endpointKey, FileInput, Job, type ApiInfo, type Args, type ClientOptions, type GradioError } from '@gradio-hooks/client';
import { queryOptions, skipToken, type DataTag, type QueryClient, type QueryKey, type UnusedSkipTokenOptions, type UseQueryOptions } from '@tanstack/react-query';

/** The first element of every query key this package makes. */
export const KEY = 'gradio-hooks';

const ids = new WeakMap<object, number>();
let nextId = 0;

/**
 * Arguments as a query key part: files (`Blob`, bytes, `handleFile()` of them) are replaced by an id
 * of their object, since they would otherwise all hash to `{}`. Other objects that are not plain
 * (a `Date`) are left for the key's hash, which sees them as they are sent (their `toJSON()`).
 * @internal
 */
export function argsKey(value: unknown): unknown {
  if (value instanceof Blob || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    if (!ids.has(value)) ids.set(value, ++nextId);
    return `\0file${ids.get(value)}`;
  }
  if (Array.isArray(value)) return value.map(argsKey);
  if (value instanceof FileInput || (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = argsKey(v);
    return out;
  }
  return value;
}

/** The query key part that identifies a client's session: its URL and session hash. */
const session = (client: Client | undefined) => [client?.url, client?.sessionHash] as const;

/**
 * The query key of {@link predictQueryOptions}: `['gradio-hooks', 'predict', url, sessionHash, "/endpoint", args]`,
 * with the files in `args` replaced by ids of their objects: take keys from `predictQueryOptions(…).queryKey`
 * rather than writing them out.
 */
export type PredictQueryKey = readonly ['gradio-hooks', 'predict', string | undefined, string | undefined, string | number, unknown];

/** What {@link predictQueryOptions} returns: options for TanStack's `useQuery` and its other hooks and methods (its `error` is a `GradioError`: the client's errors are all typed). */
export type PredictQueryOptions<T> = UseQueryOptions<T, GradioError, T, PredictQueryKey> & {
  /** The query key, tagged with the data's type (`queryClient.getQueryData(options.queryKey)` is a `T`). */
  queryKey: DataTag<PredictQueryKey, T, GradioError>;
};

/**
 * {@link PredictQueryOptions} made with a connected client: their `queryFn` is never `skipToken`, so
 * `useSuspenseQuery` and `useSuspenseQueries` take them too.
 */
export type ConnectedPredictQueryOptions<T> = UnusedSkipTokenOptions<T, GradioError, T, PredictQueryKey> & {
  /** The query key, tagged with the data's type (`queryClient.getQueryData(options.queryKey)` is a `T`). */
  queryKey: DataTag<PredictQueryKey, T, GradioError>;
};

/**
 * Query options that call an endpoint and cache its final outputs, for TanStack's own `useQuery`,
 * `useQueries`, `prefetchQuery`, `ensureQueryData`… The key is
 * `['gradio-hooks', 'predict', url, sessionHash, "/endpoint", args]`; results never go stale by
 * themselves (`staleTime: Infinity`) and failures are not retried (`retry: false`): a Gradio call is
 * costly and `gr.Error` is usually deterministic. Override any option by spreading.
 *
 * `client` may be `undefined`, as `useGradioClient()` gives it while it connects: the query then
 * waits (TanStack's `skipToken`: `status: 'pending'`, `fetchStatus: 'idle'`) and runs once the client
 * is there. (`useSuspenseQuery` takes no `skipToken`: give it `useSuspenseGradioClient()`'s client;
 * `prefetchQuery` and `fetchQuery` need a client too: with none, `prefetchQuery` fetches nothing and
 * `fetchQuery` rejects with TanStack's own `Error` ("Missing queryFn"), not a `GradioError`; outside
 * production builds TanStack also logs it.)
 *
 * ```ts
 * const { client } = useGradioClient();
 * const { data } = useQuery(predictQueryOptions<[number]>(client, '/calculate', { a: 2, b: 3 }));
 * if (client) await queryClient.prefetchQuery(predictQueryOptions(client, '/echo', ['hi']));
 * ```
 * @typeParam T - the endpoint's outputs tuple.
 * @param options - `timeout`: the call's, as in `SubmitOptions` (ms; none by default).
 */
export function predictQueryOptions<T = unknown[]>(client: Client, endpoint: string | number, args?: Args, options?: { timeout?: number | undefined }): ConnectedPredictQueryOptions<T>;
export function predictQueryOptions<T = unknown[]>(client: Client | undefined, endpoint: string | number, args?: Args, options?: { timeout?: number | undefined }): PredictQueryOptions<T>;
export function predictQueryOptions<T = unknown[]>(
  client: Client | undefined,
  endpoint: string | number,
  args: Args = [],
  options: { timeout?: number | undefined } = {},
): PredictQueryOptions<T> {
  // typed by name, not inferred: an inferred type is written out in the .d.ts as this compiler reads
  // it, and a project with `exactOptionalPropertyTypes` could not pass it to useQuery
  return queryOptions({
    queryKey: [KEY, 'predict', ...session(client), endpointKey(endpoint), argsKey(args)] as const,
    queryFn: client ? ({ signal }) => client.predict<T>(endpoint, args, { signal, timeout: options.timeout }) : skipToken,
    staleTime: Infinity,
    retry: false,
  });
}

/**
 * The key of a shared connection: its `src` and {@link connectionId} (the identity-changing options
 * as a number: the token, login and headers are not in the key in clear).
 */
export const connectionKey = (src: string, o: ClientOptions) => [KEY, 'client', src, connectionId(o)] as const;

/**
 * @internal Query options of a shared connection. A refetch (e.g. a global `invalidateQueries()`)
 * keeps the connected client: only a removed query (garbage-collected, `removeQueries`, `clear`)
 * closes it.
 */
export const clientQueryOptions = (qc: QueryClient, src: string, o: ClientOptions & { gcTime?: number; retry?: boolean | number }) =>
  ({
    queryKey: connectionKey(src, o),
    queryFn: ({ queryKey }: { queryKey: QueryKey }): Client | Promise<Client> => qc.getQueryData<Client>(queryKey) ?? Client.connect(src, o),
    staleTime: Infinity,
    gcTime: o.gcTime,
    retry: o.retry ?? false,
  });

/** @internal Query options of a client's endpoint info (`viewApi`). */
export const apiQueryOptions = (client: Client | undefined, all: boolean) =>
  ({
    queryKey: [KEY, 'api', client?.url, all], // per app, not per session: resetSession() keeps it
    queryFn: (): Promise<ApiInfo> => client!.viewApi({ all }),
    staleTime: Infinity,
  });

/**
 * @internal Query options whose data is the live {@link Job} of a call (usePredict's query mode), so
 * identical calls share one job and its queue/progress/stream state. A refetch while the job runs
 * keeps it; a failed or cancelled job is stale and runs again on the next mount.
 */
export const jobQueryOptions = <T>(qc: QueryClient, client: Client | undefined, endpoint: string | number, args: Args, timeout?: number) =>
  ({
    queryKey: [KEY, 'job', ...session(client), endpointKey(endpoint), argsKey(args)] as const,
    queryFn: ({ queryKey }: { queryKey: QueryKey }): Job<T> => {
      const running = qc.getQueryData<Job<T>>(queryKey);
      return running && !running.done() ? running : client!.submit<T>(endpoint, args, { timeout });
    },
    // a failed or cancelled job is stale (runs again on the next mount); a running or finished one is not
    staleTime: (query: { state: { data?: Job<T> } }) => (rerun(query.state.data) ? 0 : Infinity),
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

/** @internal Whether a query-mode call runs again when asked (on mount, on new args): it failed or was cancelled. */
export const rerun = <T>(job: Job<T> | undefined): boolean => {
  const s = job?.getSnapshot();
  return !!s?.done && s.stage !== 'success';
};

const managed = new WeakSet<QueryClient>();

/**
 * @internal Once per QueryClient: when a query of this package lets go of its client (the query is
 * removed, garbage-collected, reset by `resetQueries` or given other data), the client is closed.
 * When one lets go of an unfinished job, the job is cancelled, sparing other components' calls:
 * always when reset or given other data (nobody could read its result again; a call kept with
 * `cancelOnUnmount: false` too), and when removed while components show it. An unused job query
 * that is removed (garbage-collected) leaves its job alone: its components chose at unmount
 * (`cancelOnUnmount`).
 */
export function manage(qc: QueryClient): void {
  if (managed.has(qc)) return;
  managed.add(qc);
  const held = new WeakMap<object, unknown>();
  qc.getQueryCache().subscribe(({ type, query }) => {
    if (query.queryKey[0] !== KEY) return;
    const before = held.get(query);
    const now: unknown = type === 'removed' ? undefined : query.state.data;
    if (before === now) return;
    held.set(query, now);
    if (before instanceof Client) before.close();
    else if (before instanceof Job && (type !== 'removed' || query.getObserversCount())) void before.cancel({ spareOthers: true });
  });
}
