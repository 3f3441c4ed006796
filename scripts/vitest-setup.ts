/// <reference path="./vitest-context.d.ts" />
import type { TestProject } from 'vitest/node';
// @ts-expect-error plain ESM helper without types
import { DEFAULT_GRADIO_VERSION, startServer } from '../apps/gradio-server/server.mjs';

interface Server { url: string; stop(): Promise<void> }
// Every project runs this setup in the same main process: share one server between them.
let shared: Promise<Server> | undefined;
let users = 0;

/**
 * Starts one Gradio server for the whole run (or uses GRADIO_URL) and stops it at the end;
 * GRADIO_SSR=1: with server-side rendering, as Spaces run it (Gradio ≥ 5).
 */
export default async function setup(project: TestProject) {
  const version = process.env.GRADIO_VERSION ?? DEFAULT_GRADIO_VERSION;
  const ssr = process.env.GRADIO_SSR === '1';
  project.provide('gradioVersion', version);
  project.provide('gradioSsr', ssr);
  if (process.env.GRADIO_URL) {
    project.provide('gradioUrl', process.env.GRADIO_URL.replace(/\/+$/, ''));
    return;
  }
  shared ??= startServer({ version, ssr }) as Promise<Server>;
  users++;
  project.provide('gradioUrl', (await shared).url);
  return async () => {
    if (--users === 0) await (await shared!).stop();
  };
}
