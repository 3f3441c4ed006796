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
export { GradioProvider, type GradioProviderProps, type GradioSource } from './GradioProvider.js';
export { useGradioClient, type UseGradioClientOptions, type UseGradioClientResult, type GradioClientStatus } from './useGradioClient.js';
export { useSuspenseGradioClient, type UseSuspenseGradioClientResult } from './useSuspenseGradioClient.js';
export { usePredict, type UsePredictOptions, type UsePredictResult } from './usePredict.js';
export { useJob, type UseJobOptions } from './useJob.js';
export { predictQueryOptions, type PredictQueryKey, type PredictQueryOptions } from './queryOptions.js';
