import { describe, expect, it, vi } from 'vitest';
import { FILE_META, FileInput, handleFile, isFileData, mapDeep, type FileSource } from './handleFile.js';
import { ArgumentError } from './errors.js';

describe('handleFile', () => {
  describe('accepted sources', () => {
    it('a Blob: kept as is, no name unless given', () => {
      const blob = new Blob(['hello'], { type: 'text/plain' });
      const f = handleFile(blob);
      expect(f).toBeInstanceOf(FileInput);
      expect(f.source).toBe(blob);
      expect(f.name).toBeUndefined();
      expect(f.type).toBeUndefined();
    });

    it("a FileInput of another copy of the package (its CJS build beside its ESM one, another version) is one", async () => {
      vi.resetModules();
      const copy = './handleFile.js?copy'; // a module of its own: the query makes Vite load the file again
      const other = (await import(/* @vite-ignore */ copy)) as typeof import('./handleFile.js');
      expect(other.FileInput).not.toBe(FileInput); // a second copy indeed
      const theirs = other.handleFile(new Blob(['x']), { name: 'x.txt' });
      expect(theirs).toBeInstanceOf(FileInput);
      expect(handleFile(new Blob(['y']))).toBeInstanceOf(other.FileInput);
      // nothing else passes for one
      for (const v of [null, undefined, 1, 'a', {}, { source: 'x', name: 'x' }, Object.create(null), new Blob([])]) expect(v instanceof FileInput).toBe(false);
      // nor an object that answers every key (a Proxy of defaults)
      expect(new Proxy({}, { get: () => true }) instanceof FileInput).toBe(false);
    });

    it('a File without the File global (a runtime with Blob only): named by its name', () => {
      const file = new File(['x'], 'photo.jpg');
      vi.stubGlobal('File', undefined);
      try {
        expect(handleFile(file).name).toBe('photo.jpg');
        expect(handleFile(new Blob(['x'])).name).toBeUndefined();
        // bytes are not named by a property of theirs
        expect(handleFile(Object.assign(new Uint8Array([1]), { name: 'weights' })).name).toBeUndefined();
      } finally {
        vi.unstubAllGlobals();
      }
    });

    it('a File: its name is the default name', () => {
      const file = new File(['x'], 'photo.jpg', { type: 'image/jpeg' });
      const f = handleFile(file);
      expect(f.source).toBe(file);
      expect(f.name).toBe('photo.jpg');
    });

    it('bytes: Uint8Array, ArrayBuffer, DataView and Node Buffer', () => {
      const u8 = new Uint8Array([1, 2, 3]);
      expect(handleFile(u8).source).toBe(u8);
      expect(handleFile(u8.buffer).source).toBe(u8.buffer);
      const view = new DataView(u8.buffer);
      expect(handleFile(view).source).toBe(view);
      const buf = Buffer.from('abc');
      expect(handleFile(buf).source).toBe(buf);
      expect(handleFile(u8).name).toBeUndefined();
    });

    it('an http(s) URL: the last path segment is the name', () => {
      const f = handleFile('https://example.com/files/cat.png');
      expect(f.source).toBe('https://example.com/files/cat.png');
      expect(f.name).toBe('cat.png');
      expect(handleFile('http://127.0.0.1:7860/gradio_api/file=/tmp/x/dog.webp').name).toBe('dog.webp');
    });

    it('a local path: the base name is the name (POSIX and Windows separators)', () => {
      expect(handleFile('/home/me/data/report.pdf').name).toBe('report.pdf');
      expect(handleFile('relative/notes.txt').name).toBe('notes.txt');
      expect(handleFile('C:\\Users\\me\\image.png').name).toBe('image.png');
      expect(handleFile('plain.csv').name).toBe('plain.csv');
    });
  });

  describe('options', () => {
    it('name overrides the inferred name; type is kept', () => {
      const f = handleFile(new File(['x'], 'a.bin'), { name: 'b.txt', type: 'text/plain' });
      expect(f.name).toBe('b.txt');
      expect(f.type).toBe('text/plain');
      expect(handleFile('/x/y.png', { name: 'z.png' }).name).toBe('z.png');
      expect(handleFile(new Uint8Array([1]), { name: 'raw.bin', type: 'application/octet-stream' })).toMatchObject({ name: 'raw.bin', type: 'application/octet-stream' });
    });
  });

  describe('rejected values', () => {
    it.each<[string, unknown]>([
      ['undefined', undefined],
      ['null', null],
      ['a number', 42],
      ['a boolean', true],
      ['a plain object', { path: '/x.png' }],
      ['a plain array of numbers', [1, 2, 3]],
      ['a FileInput', new FileInput('x', undefined, undefined)],
      ['a function', () => 'x'],
    ])('throws ArgumentError for %s', (_, value) => {
      expect(() => handleFile(value as FileSource)).toThrow(ArgumentError);
      expect(() => handleFile(value as FileSource)).toThrow(/Blob, a File, bytes, a URL or a local path/);
    });
  });
});

describe('isFileData', () => {
  it('recognises gradio FileData outputs', () => {
    expect(isFileData({ path: '/tmp/a.png', url: null, meta: FILE_META })).toBe(true);
    expect(isFileData({ path: '/tmp/a.png', orig_name: 'a.png' })).toBe(true); // Gradio 4 outputs without meta
  });

  it('rejects other values', () => {
    expect(isFileData({ path: '/tmp/a.png' })).toBe(false);
    expect(isFileData({ path: 1, meta: FILE_META })).toBe(false);
    expect(isFileData('a.png')).toBe(false);
    expect(isFileData(null)).toBe(false);
  });
});

describe('mapDeep', () => {
  it('replaces what the visitor returns, depth first, in arrays and plain objects', () => {
    const input = { a: [1, { b: 2 }], c: 'x' };
    const out = mapDeep(input, (v) => (typeof v === 'number' ? v * 10 : undefined));
    expect(out).toEqual({ a: [10, { b: 20 }], c: 'x' });
    expect(input).toEqual({ a: [1, { b: 2 }], c: 'x' });
  });

  it('returns arrays and plain objects in which nothing was replaced as they are', () => {
    const same = { b: [1, 2] };
    const input = { a: same, n: [{ x: 3 }] };
    const out = mapDeep(input, (v) => (v === 3 ? 30 : undefined)) as typeof input;
    expect(out).toEqual({ a: { b: [1, 2] }, n: [{ x: 30 }] });
    expect(out.a).toBe(same);
    expect(out).not.toBe(input);
    expect(mapDeep(same, () => undefined)).toBe(same);
  });

  it('gives a part that is the same object at the same place in `before` what it became in `after`, without a visit', () => {
    const file = { path: 'a' };
    const kept = { list: [file], text: 'x' };
    const visit = vi.fn((v: unknown) => (v === file ? { path: 'a', url: 'u' } : undefined));
    const before = [kept, { n: 1 }];
    const after = mapDeep(before, visit) as unknown[];
    expect(after[0]).toEqual({ list: [{ path: 'a', url: 'u' }], text: 'x' });
    visit.mockClear();
    const next = [kept, { n: 2 }]; // a new outer array: its first part unchanged, its second new
    const out = mapDeep(next, visit, before, after) as unknown[];
    expect(out[0]).toBe(after[0]);
    expect(out[1]).toBe(next[1]); // nothing replaced in it: itself
    expect(visit.mock.calls.map(([v]) => v)).toEqual([next, next[1], 2]); // not the parts of kept
    // a part that moved is walked again (it is not the object at its place in before)
    expect((mapDeep([{ n: 0 }, kept], visit, before, after) as unknown[])[1]).not.toBe(after[0]);
  });

  it('keeps a key "__proto__" of an object it rebuilds as a key', () => {
    const input = JSON.parse('{"__proto__": {"file": 1}, "b": 2}') as Record<string, unknown>;
    const out = mapDeep(input, (v) => (v === 1 ? 10 : undefined)) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'b']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ file: 10 });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('walks objects without a prototype as plain ones', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1, b: { c: 1 } });
    expect(mapDeep([bare], (v) => (v === 1 ? 10 : undefined))).toEqual([{ a: 10, b: { c: 10 } }]);
  });

  it('does not descend into class instances (Blobs, FileInputs)', () => {
    const blob = new Blob(['x']);
    const input = new FileInput(blob, 'n', undefined);
    const seen: unknown[] = [];
    mapDeep([input, blob], (v) => void seen.push(v));
    expect(seen).toEqual([[input, blob], input, blob]);
  });
});
