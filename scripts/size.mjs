// Bundle sizes, measured as a browser app would ship them: esbuild, minified, tree-shaken, gzip
// level 9. `node scripts/size.mjs` prints a table and exits 1 when a budget is exceeded or a Node
// built-in reaches the browser bundle. The limits guard against regressions at today's sizes; the
// issues' targets (6 kB for `Client`, 2.5 kB for the React package) are printed beside them.
import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { root } from './bootstrap.mjs';

const entries = [
  { name: "@gradio-hooks/client: import { Client }", code: "export { Client } from '@gradio-hooks/client';", limit: 8800, target: 6000 },
  { name: '@gradio-hooks/client: everything', code: "export * from '@gradio-hooks/client';", limit: 9900 },
  {
    name: '@gradio-hooks/react: own code (react, react-dom, @tanstack/react-query, client excluded)',
    code: "export * from '@gradio-hooks/react';",
    limit: 3300,
    target: 2500,
    external: ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query', '@gradio-hooks/client'],
    needs: 'packages/react/src/index.ts',
  },
];

let over = false;
for (const e of entries) {
  if (e.needs && !existsSync(`${root}/${e.needs}`)) continue;
  const result = await build({
    stdin: { contents: e.code, resolveDir: root + 'packages/client', loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false,
    external: e.external ?? [],
    alias: { '@gradio-hooks/react': root + 'packages/react/src/index.ts', ...(!e.external && { '@gradio-hooks/client': root + 'packages/client/src/index.ts' }) },
    logLevel: 'error', metafile: true,
  });
  const bytes = result.outputFiles[0].contents;
  const gz = gzipSync(bytes, { level: 9 }).length;
  const nodeBuiltins = Object.keys(result.metafile.inputs).filter((i) => i.startsWith('node:'));
  const ok = gz <= e.limit && nodeBuiltins.length === 0;
  over ||= !ok;
  console.log(`${ok ? '✓' : '✗'} ${e.name}: ${(gz / 1000).toFixed(2)} kB min+gzip (${(bytes.length / 1000).toFixed(1)} kB min), budget ${(e.limit / 1000).toFixed(1)} kB${e.target ? `, target ${(e.target / 1000).toFixed(1)} kB${gz <= e.target ? ' (met)' : ' (not met)'}` : ''}${nodeBuiltins.length ? `, Node built-ins: ${nodeBuiltins}` : ''}`);
}
process.exit(over ? 1 : 0);
