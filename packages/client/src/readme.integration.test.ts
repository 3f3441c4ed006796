import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it, vi } from 'vitest';
import { gradioUrl } from '../test/helpers.js';
import type { Client, FileData, Job } from './index.js';

const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));
const index = fileURLToPath(new URL('./index.ts', import.meta.url));

afterEach(() => vi.restoreAllMocks());

// The README's quick start, run as written against the test server: only its URL, its import
// specifier (the package's source) and one line that keeps cancel()'s answer are changed.
it("the README's quick start runs and does what its comments say", async () => {
  const text = await readFile(readme, 'utf8');
  const code = text.split('## Quick start: the client')[1]?.match(/```ts\n([\s\S]*?)```/)?.[1];
  expect(code, 'the quick start block of README.md').toBeDefined();
  const edits: [string, string][] = [
    ["'http://127.0.0.1:7860'", JSON.stringify(gradioUrl())],
    ["from '@gradio-hooks/client'", `from ${JSON.stringify(index)}`],
    ['await job.cancel();', 'export const cancelled = await job.cancel();'],
  ];
  let source = code as string;
  for (const [from, to] of edits) {
    expect(source, `the quick start still has ${from}`).toContain(from);
    source = source.replace(from, to);
  }
  source += '\nexport { client, sum, job, out };\n';
  const dir = fileURLToPath(new URL('../node_modules/.cache/readme/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const file = `${dir}quickstart-${process.pid}.ts`;
  await writeFile(file, source);

  const logs: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args));
  const m: { client: Client; sum: number; job: Job<[string]>; out: FileData; cancelled: boolean } = await import(/* @vite-ignore */ file);

  expect(m.sum).toBe(5); // /calculate with b's default operation "add"
  // every yield printed by the loop, each longer than the one before (diffs applied)
  const texts = m.job.outputs().map(([t]) => t);
  expect(texts.length).toBeGreaterThan(1);
  expect(logs.filter((l) => l.length === 1).map(([t]) => t)).toEqual(texts);
  for (let i = 1; i < texts.length; i++) expect(texts[i]?.startsWith(texts[i - 1] ?? '')).toBe(true);
  // the subscriber saw the job's stages, ending with success
  const stages = logs.filter((l) => l.length === 4).map(([stage]) => stage);
  expect(stages).toContain('streaming');
  expect(stages.at(-1)).toBe('success');
  expect(m.cancelled).toBe(false); // "false: it already finished"
  expect(m.out.orig_name).toBe('notes.txt');
  expect(m.out.url?.startsWith(`${gradioUrl()}/`)).toBe(true);
  await expect(fetch(m.out.url as string).then((r) => r.text())).resolves.toBe('hi');
  expect(() => m.client.submit('/echo', ['x'])).toThrow('This client is closed');
});
