// Size of the package's own code: src/index.ts bundled and minified with esbuild (browser, ESM),
// react, react-dom, @tanstack/react-query and @gradio-hooks/client left external, then gzipped.
// Usage: node packages/react/scripts/size.mjs [--limit 2500]  (exits 1 above the limit, in bytes)
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const limitArg = process.argv.indexOf('--limit');
const limit = limitArg > 0 ? Number(process.argv[limitArg + 1]) : 2500;
const result = await build({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  write: false,
  logLevel: 'silent',
  external: ['react', 'react/*', 'react-dom', 'react-dom/*', '@tanstack/react-query', '@gradio-hooks/client'],
  define: { 'process.env.NODE_ENV': '"production"' },
});
const code = result.outputFiles[0].contents;
const gz = gzipSync(code, { level: 9 }).length;
console.log(`@gradio-hooks/react: ${code.length} B min, ${gz} B min+gzip (limit ${limit} B)`);
process.exit(gz > limit ? 1 : 0);
