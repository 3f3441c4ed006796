/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The default Gradio app, set by `npm run demo` and the e2e config. */
  readonly VITE_GRADIO_URL?: string;
}
