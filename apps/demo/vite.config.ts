import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const pkg = (path: string) => fileURLToPath(new URL(`../../packages/${path}`, import.meta.url));

// The demo runs against the workspace sources of the packages (no build step needed first).
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      '@gradio-hooks/react': pkg('react/src/index.ts'),
      '@gradio-hooks/client': pkg('client/src/index.ts'),
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { target: 'es2022', sourcemap: true },
});
