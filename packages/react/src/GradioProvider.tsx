'use client';
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import type { Client, ClientOptions } from '@gradio-hooks/client';

/** Which Gradio app the hooks below a {@link GradioProvider} use: a client, or a `src` to connect to. */
export type GradioSource = { client: Client; src?: undefined; options?: undefined } | { src: string; options?: ClientOptions; client?: undefined };

/** Props of {@link GradioProvider}. */
export type GradioProviderProps = GradioSource & {
  children?: ReactNode;
  /**
   * The TanStack `QueryClient` to use. Default: the one of an enclosing `QueryClientProvider`, or,
   * when there is none, one made by this provider.
   */
  queryClient?: QueryClient;
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
  const qc = queryClient ?? (outer ? undefined : own);
  const value = useMemo(() => (client ? { client } : { src: src!, options }), [client, src, options]);
  const tree = <GradioContext.Provider value={value}>{children}</GradioContext.Provider>;
  return qc ? <QueryClientProvider client={qc}>{tree}</QueryClientProvider> : tree;
}
