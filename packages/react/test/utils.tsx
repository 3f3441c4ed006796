import { StrictMode, type ReactNode } from 'react';
import { configure, render, type RenderResult } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { inject } from 'vitest';
import { GradioProvider } from '../src/index.js';

// findBy*/waitFor give up after 1 s by default: too short for a connect on a loaded machine (CI)
configure({ asyncUtilTimeout: 5_000 });

/** Base URL of the shared real Gradio server started by scripts/vitest-setup.ts. */
export const gradioUrl = (): string => inject('gradioUrl');

/** A fresh QueryClient (clear it after the test: that closes the Gradio clients it holds). */
export const newQueryClient = (): QueryClient => new QueryClient();

/** Renders `ui` inside a QueryClientProvider and a GradioProvider for the test server. */
export function renderApp(ui: ReactNode, options: { queryClient: QueryClient; strict?: boolean; sessionHash?: string }): RenderResult {
  const wrap = (node: ReactNode) => {
    const tree = (
      <QueryClientProvider client={options.queryClient}>
        <GradioProvider src={gradioUrl()} options={options.sessionHash ? { sessionHash: options.sessionHash } : undefined}>{node}</GradioProvider>
      </QueryClientProvider>
    );
    return options.strict ? <StrictMode>{tree}</StrictMode> : tree;
  };
  const result = render(wrap(ui));
  return { ...result, rerender: (next: ReactNode) => result.rerender(wrap(next)) };
}

/** A unique session id, so tests that cancel do not touch each other's jobs (Gradio cancels per session and endpoint). */
export const session = (): string => `test-${Math.random().toString(36).slice(2)}`;
