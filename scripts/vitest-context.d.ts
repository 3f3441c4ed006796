import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the shared Gradio test server (see scripts/vitest-setup.ts). */
    gradioUrl: string;
    /** Its gradio version. */
    gradioVersion: string;
  }
}
