import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the shared Gradio test server (see scripts/vitest-setup.ts). */
    gradioUrl: string;
    /** Its gradio version. */
    gradioVersion: string;
    /** Whether it renders on the server (SSR: on Gradio 6 a Node server in front of Python takes every request). */
    gradioSsr: boolean;
  }
}
