import { describe, expect, it } from 'vitest';
import { applyDiff, type DiffOperation } from './applyDiff.js';

/** Deep-freezes a value so any mutation of the input throws in strict mode (ES modules are strict). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('applyDiff', () => {
  describe('root path', () => {
    it('replace swaps the whole value, whatever its type', () => {
      expect(applyDiff('old', [['replace', [], 'new']])).toBe('new');
      expect(applyDiff({ a: 1 }, [['replace', [], [1, 2]]])).toEqual([1, 2]);
      expect(applyDiff(null, [['replace', [], { step: 1 }]])).toEqual({ step: 1 });
      expect(applyDiff(3, [['replace', [], null]])).toBeNull();
    });

    it('append concatenates a string (real 6.31 stream_text diff)', () => {
      // From an SSE capture of gradio 6.31.0: first yield "Hello tok1", then [["append",[]," tok2"]].
      let value: unknown = 'Hello tok1';
      value = applyDiff(value, [['append', [], ' tok2']]);
      value = applyDiff(value, [['append', [], ' tok3']]);
      expect(value).toBe('Hello tok1 tok2 tok3');
    });

    it('append at the root of a null output starts from the empty string', () => {
      expect(applyDiff(null, [['append', [], 'abc']])).toBe('abc');
    });

    it('append concatenates a list', () => {
      expect(applyDiff([1, 2], [['append', [], [3, 4]]])).toEqual([1, 2, 3, 4]);
    });

    it('add and delete at the root are rejected', () => {
      expect(() => applyDiff([1], [['add', [], 2]])).toThrow(TypeError);
      expect(() => applyDiff({ a: 1 }, [['delete', [], null]])).toThrow(TypeError);
    });

    it('an empty op list is no change (same value returned)', () => {
      const value = { a: [1, 2], b: 'x' };
      expect(applyDiff(value, [])).toBe(value);
      expect(applyDiff('text', [])).toBe('text');
      expect(applyDiff(null, [])).toBeNull();
    });
  });

  describe('nested paths', () => {
    it('refuses an index past the end of a list (a tiny message asking for a list of millions), but takes one at its end', () => {
      expect(() => applyDiff([[1]], [['replace', [0, 60_000_000], 2]])).toThrow(new RangeError('Index 60000000 is past the end of a list of 1'));
      expect(() => applyDiff({ l: [] }, [['add', ['l', 2], 'x']])).toThrow(RangeError);
      expect(() => applyDiff([], [['replace', [5, 'a'], 1]])).toThrow(RangeError); // on the way down too
      expect(applyDiff([[1]], [['add', [0, 1], 2]])).toEqual([[1, 2]]);
      expect(applyDiff([[1]], [['replace', [0, 1], 2]])).toEqual([[1, 2]]);
      expect(applyDiff([[1, 2]], [['delete', [0, 7], null]])).toEqual([[1]]); // a delete names no usable index (see below)
    });

    it('replace at a nested dict key and a nested list index', () => {
      expect(applyDiff({ a: { b: 1, c: 2 } }, [['replace', ['a', 'b'], 9]])).toEqual({ a: { b: 9, c: 2 } });
      expect(applyDiff([[1, 2], [3, 4]], [['replace', [1, 0], 'x']])).toEqual([[1, 2], ['x', 4]]);
      expect(applyDiff({ rows: [{ v: 1 }, { v: 2 }] }, [['replace', ['rows', 1, 'v'], 5]])).toEqual({ rows: [{ v: 1 }, { v: 5 }] });
    });

    it('append to a nested string (chatbot style)', () => {
      const history = [
        ['hi', 'Hel'],
        ['more', null],
      ];
      expect(applyDiff(history, [['append', [0, 1], 'lo']])).toEqual([
        ['hi', 'Hello'],
        ['more', null],
      ]);
      expect(applyDiff({ msg: { text: 'a' } }, [['append', ['msg', 'text'], 'b']])).toEqual({ msg: { text: 'ab' } });
    });

    it('append to a nested list', () => {
      expect(applyDiff({ items: [1] }, [['append', ['items'], [2, 3]]])).toEqual({ items: [1, 2, 3] });
    });

    it('add inserts into a list at the index (middle and end)', () => {
      expect(applyDiff({ l: [1, 3] }, [['add', ['l', 1], 2]])).toEqual({ l: [1, 2, 3] });
      expect(applyDiff({ l: [1, 2] }, [['add', ['l', 2], 3]])).toEqual({ l: [1, 2, 3] });
      expect(applyDiff([0], [['add', [0], -1]])).toEqual([-1, 0]);
    });

    it('add sets a key of a dict', () => {
      expect(applyDiff({ a: 1 }, [['add', ['b'], { c: 2 }]])).toEqual({ a: 1, b: { c: 2 } });
      expect(applyDiff({ n: { a: 1 } }, [['add', ['n', 'b'], 2]])).toEqual({ n: { a: 1, b: 2 } });
    });

    it('delete shortens a list from its end, as every server diff does', () => {
      expect(applyDiff([1, 2, 3], [['delete', [2], null]])).toEqual([1, 2]);
      expect(applyDiff({ l: ['a', 'b'] }, [['delete', ['l', 1], null]])).toEqual({ l: ['a'] });
    });

    it('delete removes a dict key', () => {
      const out = applyDiff({ a: 1, b: 2 }, [['delete', ['a'], null]]) as Record<string, unknown>;
      expect(out).toEqual({ b: 2 });
      expect('a' in out).toBe(false);
      expect(applyDiff({ n: { b: { c: 'x' } } }, [['delete', ['n', 'b'], null]])).toEqual({ n: {} });
    });

    it('a key "__proto__" is a key like any other: added, changed and deleted, never the prototype', () => {
      // the /shape_shift diffs of Python dicts with that key (JSON.parse makes it an own key)
      const added = applyDiff({ n: { b: 1 } }, [['add', ['n', '__proto__'], { x: 1 }]]) as { n: Record<string, unknown> };
      expect(Object.keys(added.n)).toEqual(['b', '__proto__']);
      expect(Object.getOwnPropertyDescriptor(added.n, '__proto__')?.value).toEqual({ x: 1 });
      expect(Object.getPrototypeOf(added.n)).toBe(Object.prototype);
      expect(added.n.x).toBeUndefined();
      const changed = applyDiff(added, [['replace', ['n', '__proto__', 'x'], 2]]) as { n: Record<string, unknown> };
      expect(Object.getOwnPropertyDescriptor(changed.n, '__proto__')?.value).toEqual({ x: 2 });
      const deleted = applyDiff(changed, [['delete', ['n', '__proto__'], null]]) as { n: Record<string, unknown> };
      expect(Object.keys(deleted.n)).toEqual(['b']);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });
  });

  describe('sequences', () => {
    it('applies ops in order, each on the result of the previous one', () => {
      // What gradio's utils.diff produces for [1, 2, 3, 4] -> [1, 5] (prefix compare, deletes pre-shifted, then adds).
      const ops: DiffOperation[] = [
        ['replace', [1], 5],
        ['delete', [2], null],
        ['delete', [2], null],
      ];
      expect(applyDiff([1, 2, 3, 4], ops)).toEqual([1, 5]);
    });

    it('mixes dict and list edits', () => {
      const before = { step: 1, status: 'running', items: [1], nested: { a: 1, b: { c: 'x' } } };
      const ops: DiffOperation[] = [
        ['replace', ['step'], 2],
        ['add', ['items', 1], 2],
        ['add', ['items', 2], 3],
        ['delete', ['nested', 'a'], null],
        ['replace', ['nested', 'b', 'c'], 'y'],
        ['add', ['extra'], true],
      ];
      expect(applyDiff(before, ops)).toEqual({ step: 2, status: 'running', items: [1, 2, 3], nested: { b: { c: 'y' } }, extra: true });
    });

    it('replace then append on the same path', () => {
      expect(applyDiff({ t: 'abc' }, [['replace', ['t'], 'x'], ['append', ['t'], 'y']])).toEqual({ t: 'xy' });
    });
  });

  describe('immutability', () => {
    it('never mutates the input, even deeply', () => {
      const input = deepFreeze({ a: { list: [1, 2, 3], text: 'hi' }, b: [{ k: 1 }] });
      const snapshot = structuredClone(input);
      const ops: DiffOperation[] = [
        ['append', ['a', 'text'], '!'],
        ['add', ['a', 'list', 0], 0],
        ['delete', ['a', 'list', 3], null],
        ['replace', ['b', 0, 'k'], 2],
        ['add', ['c'], 1],
        ['delete', ['a', 'text'], null],
      ];
      const out = applyDiff(input, ops);
      expect(input).toEqual(snapshot);
      expect(out).toEqual({ a: { list: [0, 1, 2] }, b: [{ k: 2 }], c: 1 });
    });

    it('copies every container on the changed path and shares untouched siblings', () => {
      const input = { changed: { deep: [1] }, untouched: { x: [1, 2] } };
      const out = applyDiff(input, [['add', ['changed', 'deep', 1], 2]]) as typeof input;
      expect(out).not.toBe(input);
      expect(out.changed).not.toBe(input.changed);
      expect(out.changed.deep).not.toBe(input.changed.deep);
      expect(out.untouched).toBe(input.untouched);
      expect(input.changed.deep).toEqual([1]);
    });

    it('earlier outputs stay intact across a chain of diffs', () => {
      const outputs: unknown[] = [['a']];
      const steps: DiffOperation[][] = [
        [['append', [0], 'b']],
        [['add', [1], 'c']],
        [['delete', [1], null]],
      ];
      for (const ops of steps) outputs.push(applyDiff(outputs.at(-1), ops));
      expect(outputs).toEqual([['a'], ['ab'], ['ab', 'c'], ['ab']]);
    });
  });

  // Ops as each release's own utils.diff() writes them (run in its venv): a list loses items only at
  // its end, and the indices of those deletes depend on the release.
  describe('list deletes of every server release', () => {
    it('4.x to 5.29.0 write the old positions: [1, 2, 3, 4] -> [1]', () => {
      const ops: DiffOperation[] = [
        ['delete', [1], null],
        ['delete', [2], null],
        ['delete', [3], null],
      ];
      expect(applyDiff([1, 2, 3, 4], ops)).toEqual([1]);
      expect(applyDiff({ a: [1, 2, 3, 4] }, ops.map(([a, p, v]) => [a, ['a', ...p], v]))).toEqual({ a: [1] });
    });

    it('5.36 and later shift them: [1, 2, 3, 4] -> [1]', () => {
      const ops: DiffOperation[] = [
        ['delete', [1], null],
        ['delete', [1], null],
        ['delete', [1], null],
      ];
      expect(applyDiff([1, 2, 3, 4], ops)).toEqual([1]);
    });

    it('5.36 and later shift a list inside a list twice: [[1, 2, 3], 5, 6] -> [[1], 5]', () => {
      const ops: DiffOperation[] = [
        ['delete', [0, 1], null],
        ['delete', [0, 0], null],
        ['delete', [0], null],
      ];
      expect(applyDiff([[1, 2, 3], 5, 6], ops)).toEqual([[1], 5]);
    });

    it('5.36 and later shift nested deletes of sibling lists, to negative indices: [{t: [1, 2, 3]}, {t: [4, 5]}] -> [{t: [1]}, {t: []}]', () => {
      const ops: DiffOperation[] = [
        ['delete', [0, 't', 1], null],
        ['delete', [0, 't', 0], null],
        ['delete', [1, 't', -2], null],
        ['delete', [1, 't', -3], null],
      ];
      const input = [{ t: [1, 2, 3] }, { t: [4, 5] }];
      expect(applyDiff(input, ops)).toEqual([{ t: [1] }, { t: [] }]);
      expect(input).toEqual([{ t: [1, 2, 3] }, { t: [4, 5] }]);
    });

    it('[[1, 2], [3, 4]] -> [[1], [3]], whose second delete the server writes as [1, 0]', () => {
      const ops: DiffOperation[] = [
        ['delete', [0, 1], null],
        ['delete', [1, 0], null],
      ];
      expect(
        applyDiff(
          [
            [1, 2],
            [3, 4],
          ],
          ops,
        ),
      ).toEqual([[1], [3]]);
    });
  });
});
