import { put } from './applyDiff.js';
import { ArgumentError } from './errors.js';
import type { FileData } from './types.js';

/** Anything {@link handleFile} accepts: a `Blob`/`File`, bytes, an http(s) URL, or (Node only) a local path. */
export type FileSource = Blob | ArrayBuffer | ArrayBufferView | string;

/** The same symbol in every copy of the package. */
const MARK: unique symbol = Symbol.for('@gradio-hooks/client FileInput');

/**
 * A file argument made by {@link handleFile}; uploaded (or, for URLs, passed on) when the job is
 * submitted. Plain `Blob`s and `File`s found anywhere in the arguments are uploaded too.
 */
export class FileInput {
  /**
   * Whether `value` is a `FileInput`, made by this copy of the package or by another one (its CJS
   * build beside its ESM one, another version): a client takes the files of either.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    // on the prototype, where the class put it: not any object that answers every key (a Proxy)
    return value != null && Object.getPrototypeOf(value)?.[MARK] === true;
  }

  /** @internal The mark that `instanceof FileInput` looks for. */
  get [MARK](): true {
    return true;
  }

  /** @internal */
  constructor(
    /** The file: a `Blob`/`File`, bytes, a URL or (Node) a local path. */
    readonly source: FileSource,
    /** The name to upload it with. */
    readonly name?: string,
    /** The MIME type to upload it with. */
    readonly type?: string,
  ) {}
}

/**
 * Marks a value as a file to send (Python `handle_file`). Strings starting with `http://` or
 * `https://` are URLs the server downloads itself; other strings are local paths, read in Node only.
 *
 * @param source - the file: `Blob`, `File`, bytes, URL or local path.
 * @param options - `name` (kept as the file's original name on the server) and MIME `type`.
 */
export function handleFile(source: FileSource, options: { name?: string | undefined; type?: string | undefined } = {}): FileInput {
  if (source == null || (typeof source !== 'string' && !(source instanceof Blob) && !(source instanceof ArrayBuffer) && !ArrayBuffer.isView(source))) {
    throw new ArgumentError('handleFile() takes a Blob, a File, bytes, a URL or a local path.');
  }
  return new FileInput(source, options.name ?? (typeof source === 'string' ? source.split(/[\\/]/).pop() : source instanceof Blob ? (source as File).name : undefined), options.type);
}

/** @internal The `meta` marker Gradio ≥ 4.21 requires on input files. */
export const FILE_META = { _type: 'gradio.FileData' } as const;

/** True for a Gradio `FileData` object (as found in outputs). */
export function isFileData(value: unknown): value is FileData {
  return typeof value === 'object' && value !== null && typeof (value as FileData).path === 'string' &&
    ((value as FileData).meta?._type === 'gradio.FileData' || 'orig_name' in value);
}

/**
 * Rebuilds `value`, replacing each part for which `visit` returns a replacement (depth first; `visit`
 * returns `undefined` to go on, and an object in place of an object). It walks arrays and plain
 * objects (with a null prototype too), not class instances; those in which nothing was replaced
 * are returned as they are, not copied. `before` and
 * `after`: an earlier value and what it became; a part of `value` that is the very object found at
 * the same place in `before` (a part of a generator's output that its diff left unchanged) becomes
 * what it became then, without a visit or a walk.
 */
export function mapDeep(value: unknown, visit: (v: unknown) => unknown, before?: unknown, after?: unknown): unknown {
  if (!value || typeof value !== 'object') return visit(value) ?? value;
  if (value === before) return after;
  let out = visit(value) as Record<string, unknown> | undefined;
  if (out) return out;
  type Parts = Record<string, unknown> | undefined;
  let changed = false;
  const map = (v: unknown, k: string | number) => {
    const m = mapDeep(v, visit, (before as Parts)?.[k], (after as Parts)?.[k]);
    changed ||= m !== v;
    return m;
  };
  if (Array.isArray(value)) out = value.map(map) as unknown as Parts;
  else if ((Object.getPrototypeOf(value) ?? Object.prototype) === Object.prototype) {
    out = {};
    for (const k in value) out = put(out, k, map((value as Record<string, unknown>)[k], k));
  }
  return changed ? out : value;
}
