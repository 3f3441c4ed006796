'use client';
// The provider and the hooks: one client module for React Server Components. The package's entry
// (index.ts) re-exports them by name, with the client, and is no client module itself, so server
// code (a server component, a route handler, a server action) gets the real `Client` from it, and
// a server component can render `<GradioProvider>`.
export { GradioProvider, type GradioProviderProps, type GradioSource } from './GradioProvider.js';
export { useGradioClient, type UseGradioClientOptions, type UseGradioClientResult, type GradioClientStatus } from './useGradioClient.js';
export { useSuspenseGradioClient, type UseSuspenseGradioClientResult } from './useSuspenseGradioClient.js';
export { usePredict, type UsePredictOptions, type UsePredictResult } from './usePredict.js';
export { useJob, type UseJobOptions } from './useJob.js';
export { predictQueryOptions, type ConnectedPredictQueryOptions, type PredictQueryKey, type PredictQueryOptions } from './queryOptions.js';
