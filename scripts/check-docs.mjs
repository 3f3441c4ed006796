// `pnpm check:docs`: type-checks every TypeScript example of the docs (the READMEs, docs/*.md and the
// TSDoc of both packages' sources) against the packages' real types, so that an example that no
// longer matches the API fails `npm test`.
//
// Each ```ts / ```tsx block becomes a module of its own. A block without imports gets the exports
// of @gradio-hooks/react (which re-exports the client) and the React and TanStack Query functions
// the examples use; the few free names that examples take as given (`client`, `job`, a component
// `App`, …) are declared with their real types in a shared declarations file (PLACEHOLDERS).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './bootstrap.mjs';

// Written inside the React package, so that its dependencies resolve; node_modules keeps it out of git.
const out = join(root, 'packages/react/node_modules/.cache/doc-examples');

const PLACEHOLDERS = `
import type { ComponentType, ReactNode } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import type { Client, Job, JobSnapshot } from '@gradio-hooks/react';
declare global {
  const client: Client;
  const queryClient: QueryClient;
  const job: Job<[string]>;
  const token: string;
  const prompt: string;
  const a: number;
  const b: number;
  function render(snapshot: JobSnapshot<[string]>): void;
  function show(value: unknown): void;
  function setStatus(value: string): void;
  const App: ComponentType;
  const Sum: ComponentType;
  const Calculator: ComponentType;
  const ErrorBoundary: ComponentType<{ fallback: ReactNode; children?: ReactNode }>;
}
export {};
`;

/** The names a module exports, split into values and types (follows `export *` of relative modules). */
function exportsOf(file, seen = new Set()) {
  const values = new Set();
  const types = new Set();
  if (seen.has(file)) return { values, types };
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  for (const [, kind, name] of src.matchAll(/^export (?:declare )?(?:abstract )?(class|function|async function|const|let|interface|type|enum) (\w+)/gm)) {
    (kind === 'interface' || kind === 'type' ? types : values).add(name);
  }
  for (const [, typeOnly, list] of src.matchAll(/^export (type )?\{([^}]*)\}/gm)) {
    for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
      const name = item.replace(/^type /, '').split(/ as /).pop().trim();
      (typeOnly || item.startsWith('type ') ? types : values).add(name);
    }
  }
  for (const [, typeOnly, from] of src.matchAll(/^export (type )?\* from '([^']+)'/gm)) {
    const target = from.startsWith('.')
      ? join(file, '..', from.replace(/\.js$/, '.ts'))
      : join(root, 'packages', from.split('/')[1], 'src/index.ts');
    const sub = exportsOf(target, seen);
    for (const v of sub.values) (typeOnly ? types : values).add(v);
    for (const t of sub.types) types.add(t);
  }
  return { values, types };
}

function* markdownFiles() {
  yield* ['README.md', 'packages/client/README.md', 'packages/react/README.md', 'apps/demo/README.md', 'apps/gradio-server/README.md'];
  for (const f of readdirSync(join(root, 'docs'))) if (f.endsWith('.md')) yield `docs/${f}`;
}

function* sourceFiles() {
  for (const pkg of ['client', 'react']) {
    for (const f of readdirSync(join(root, 'packages', pkg, 'src'))) {
      if (/\.tsx?$/.test(f) && !/\.test(-d)?\.tsx?$/.test(f)) yield `packages/${pkg}/src/${f}`;
    }
  }
}

/** Every ```ts/```tsx block: { file, line, code }. In sources, only the blocks inside comments. */
export function examples() {
  const found = [];
  const collect = (file, text, strip) => {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = strip(lines[i])?.match(/^```(ts|tsx|typescript)\s*$/);
      if (!open) continue;
      const body = [];
      let j = i + 1;
      for (; j < lines.length && strip(lines[j]) !== undefined && !strip(lines[j]).startsWith('```'); j++) body.push(strip(lines[j]));
      found.push({ file, line: i + 1, code: body.join('\n') });
      i = j;
    }
  };
  for (const file of markdownFiles()) {
    let text;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue;
    }
    collect(file, text, (l) => l);
  }
  // a TSDoc line is ` * text` (any indentation); anything else ends the block
  for (const file of sourceFiles()) collect(file, readFileSync(join(root, file), 'utf8'), (l) => l.match(/^\s*\* ?(.*)$/)?.[1]);
  return found;
}

export function checkDocs() {
  const { values, types } = exportsOf(join(root, 'packages/react/src/index.ts'));
  for (const v of values) types.delete(v);
  const prelude = [
    "import { Suspense, useEffect, useRef, useState } from 'react';",
    "import { QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';",
    `import { ${[...values].sort().join(', ')}, ${[...types].sort().map((t) => `type ${t}`).join(', ')} } from '@gradio-hooks/react';`,
    '',
  ].join('\n');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const all = examples();
  const names = new Map();
  for (const ex of all) {
    const name = `${ex.file.replace(/[/.]/g, '_')}_L${ex.line}.tsx`;
    // an example with imports of its own gets no prelude (its names would be declared twice)
    const head = /^import /m.test(ex.code) ? '' : prelude;
    names.set(name, { ...ex, offset: ex.line - (head.split('\n').length - 1) });
    writeFileSync(join(out, name), `${head}${ex.code}\nexport {};\n`);
  }
  writeFileSync(join(out, 'placeholders.d.ts'), PLACEHOLDERS);
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify({ extends: relative(out, join(root, 'tsconfig.base.json')), compilerOptions: { jsx: 'react-jsx' }, files: ['placeholders.d.ts', ...names.keys()] }),
  );
  const r = spawnSync('pnpm', ['exec', 'tsc', '-p', out, '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
  const errors = `${r.stdout}${r.stderr}`
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = l.match(/([\w.-]+\.tsx)\((\d+),(\d+)\): (.*)$/);
      const ex = m && names.get(m[1]);
      // line 1 of the written file is the line after the fence (ex.line), less the prelude's lines
      return ex ? `${ex.file}:${ex.offset + Number(m[2])}: ${m[4]}` : l;
    });
  return { count: all.length, ok: r.status === 0, errors };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { count, ok, errors } = checkDocs();
  for (const e of errors) console.error(e);
  console.log(ok ? `${count} code examples of the docs type-check` : `code examples of the docs: ${errors.length} errors`);
  process.exit(ok ? 0 : 1);
}
