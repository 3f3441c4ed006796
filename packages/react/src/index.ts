/**
 * `@gradio-hooks/react`: React hooks for Gradio apps, on TanStack Query. Re-exports all of
 * `@gradio-hooks/client`, so one package is enough.
 *
 * ```tsx
 * <GradioProvider src="http://127.0.0.1:7860"><Sum /></GradioProvider>
 * function Sum() {
 *   const { data, status } = usePredict<[number]>('/calculate', { args: { a: 2, b: 3 } });
 *   return <p>{status === 'success' ? data?.[0] : status}</p>;
 * }
 * ```
 * @packageDocumentation
 */
export * from '@gradio-hooks/client';
export {
  GradioProvider, useGradioClient, useSuspenseGradioClient, usePredict, useJob, predictQueryOptions,
  type GradioProviderProps, type GradioSource, type UseGradioClientOptions, type UseGradioClientResult, type GradioClientStatus,
  type UseSuspenseGradioClientResult, type UsePredictOptions, type UsePredictResult, type UseJobOptions, type ConnectedPredictQueryOptions, type PredictQueryKey, type PredictQueryOptions,
} from './hooks.js';
