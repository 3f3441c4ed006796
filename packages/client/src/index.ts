/**
 * `@gradio-hooks/client`: a small, isomorphic client for Gradio apps.
 *
 * ```ts
 * import { Client } from '@gradio-hooks/client';
 * const client = await Client.connect('http://127.0.0.1:7860');
 * const [sum] = await client.predict('/calculate', { a: 2, b: 3 });
 * ```
 * @packageDocumentation
 */
export { appSource, Client, type ClientOptions, type SubmitOptions } from './client.js';
export { connectionId } from './connectionId.js';
export { duplicate, type DuplicateOptions } from './duplicate.js';
export { waitForSpace, type WaitForSpaceOptions } from './waitForSpace.js';
export type { HubOptions } from './hub.js';
export type { StreamListener, StreamMessage } from './sessionStream.js';
export { Job, type CancelOptions, type JobEvent, type JobSnapshot } from './job.js';
export { JobObserver, jobState, type JobState, type PredictStatus } from './jobObserver.js';
export { PredictObserver, type PredictObserverOptions } from './predictObserver.js';
export { handleFile, FileInput, isFileData, type FileSource } from './handleFile.js';
export { applyDiff, type DiffOperation } from './applyDiff.js';
export { formatApi } from './formatApi.js';
export { endpointKey, type Args } from './endpoint.js';
export * from './errors.js';
export type * from './types.js';
