/** One edit of a generator diff: `[action, path, value]` (Gradio `utils.diff`). */
export type DiffOperation = [action: 'replace' | 'append' | 'add' | 'delete', path: (string | number)[], value: unknown];

type Container = Record<string | number, unknown> | unknown[];

/**
 * @internal `o` with `o[k] = v`: set in place, but in a new object for a key `"__proto__"` (a Python
 * dict may have any key), which an assignment would take for the object's prototype, losing the key.
 */
export const put = <O extends Record<string | number, unknown>>(o: O, k: string | number, v: unknown): O =>
  k === '__proto__' ? { ...o, [k]: v } : ((o[k as keyof O] = v as O[keyof O]), o);

/**
 * Applies Gradio's generator diff operations, in order, to `value` and returns the new value.
 * The input is never mutated: every container on a changed path is copied, so earlier outputs
 * stay intact.
 *
 * A `delete` in a list removes the list's last item, whatever index it names. The server's diff
 * only ever shortens a list from its end, but the indices it writes depend on the release: up to
 * 5.29.0 they are the old positions, from 5.36 they are shifted for the deletes before them, and a
 * list inside a list is shifted twice, down to negative numbers. Applied as written (as the
 * official clients do), a list that loses two items or more comes out wrong or, in Python, raises.
 * (5.29.1 to 5.35.0 drop the path of such a delete altogether; no client can place those.)
 */
export function applyDiff(value: unknown, ops: readonly DiffOperation[]): unknown {
  for (const [action, path, edit] of ops) value = applyOne(value, action, path, 0, edit);
  return value;
}

function applyOne(target: unknown, action: string, path: readonly (string | number)[], depth: number, edit: unknown): unknown {
  if (depth === path.length) {
    if (action === 'replace') return edit;
    if (action === 'append') {
      return Array.isArray(target) ? [...target, ...(edit as unknown[])] : String(target ?? '') + String(edit);
    }
    throw new TypeError(`Cannot ${action} at the root of an output`);
  }
  const key = path[depth]!;
  const copy: Container = Array.isArray(target) ? [...target] : { ...(target as Record<string, unknown>) };
  const list = Array.isArray(copy);
  // a list grows by one at a time: an index far past its end (a 60-byte message asking for 60 million
  // items) would take gigabytes
  if (list && action !== 'delete' && Number(key) > copy.length) throw new RangeError(`Index ${key} is past the end of a list of ${copy.length}`);
  if (depth === path.length - 1 && (action === 'add' || action === 'delete')) {
    if (list) action === 'add' ? copy.splice(Number(key), 0, edit) : copy.pop();
    else if (action === 'add') return put(copy, key, edit);
    else delete copy[key];
    return copy;
  }
  return put(copy as Record<string | number, unknown>, key, applyOne((copy as Record<string | number, unknown>)[key], action, path, depth + 1, edit));
}
