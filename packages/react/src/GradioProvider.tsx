'use client';
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import type { Client } from '@gradio-hooks/client';
import type { UseGradioClientOptions } from './useGradioClient.js';

/** Which Gradio app the hooks below a {@link GradioProvider} use: a client, or a `src` to connect to. */
export type GradioSource =
  | {
      /** A connected client, used as it is (closing it stays up to you). */
      client: Client;
      /** Not with `client`. */
      src?: undefined;
      /** Not with `client`. */
      options?: undefined;
    }
  | {
      /** The app's URL or Space id (`owner/name`), connected on first use. */
      src: string;
      /** The connect options (`token`, `auth`, `headers`, …) and the connection's `gcTime`, `retry` and `api`: the defaults of every hook below, whose own options go over them. */
      options?: UseGradioClientOptions | undefined;
      /** Not with `src`. */
      client?: undefined;
    };

/** Props of {@link GradioProvider}. */
export type GradioProviderProps = GradioSource & {
  /** The tree whose hooks use this app. */
  children?: ReactNode;
  /**
   * The TanStack `QueryClient` to use. Default: the one of an enclosing `QueryClientProvider`, or,
   * when there is none, one made by this provider, which closes its connections and cancels its
   * calls when the provider unmounts.
   */
  queryClient?: QueryClient | undefined;
};

/** @internal The provider's source, read by `useGradioClient`. */
export const GradioContext = createContext<GradioSource | null>(null);

/**
 * Gives a Gradio app to the hooks of the tree: either a connected `client`, or a `src` (URL or
 * Space id) plus `options`, connected on first use and shared by every hook (nothing connects
 * during server rendering). Also provides a `QueryClient` when none is above it.
 *
 * ```tsx
 * <GradioProvider src="http://127.0.0.1:7860"><App /></GradioProvider>
 * ```
 */
export function GradioProvider({ children, queryClient, client, src, options }: GradioProviderProps): ReactNode {
  const outer = useContext(QueryClientContext);
  const [own] = useState(() => (queryClient || outer ? undefined : new QueryClient()));
  const users = useRef(0);
  // Its own QueryClient dies with it: empty it, which closes its clients and cancels its calls
  // (after StrictMode's simulated unmount, which mounts again at once, nothing is lost).
  useEffect(() => {
    users.current++;
    return () => {
      users.current--;
      queueMicrotask(() => users.current || own?.clear());
    };
  }, [own]);
  const qc = queryClient ?? (outer ? undefined : own);
  const value = useMemo(() => (client ? { client } : { src: src!, options }), [client, src, options]);
  const tree = <GradioContext.Provider value={value}>{children}</GradioContext.Provider>;
  return qc ? <QueryClientProvider client={qc}>{tree}</QueryClientProvider> : tree;
}
