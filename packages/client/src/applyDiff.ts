/** One edit of a generator diff: `[action, path, value]` (Gradio `utils.diff`). */
export type DiffOperation = [action: 'replace' | 'append' | 'add' | 'delete', path: (string | number)[], value: unknown];

type Container = Record<string | number, unknown> | unknown[];

/**
 * Applies Gradio's generator diff operations, in order, to `value` and returns the new value.
 * The input is never mutated: every container on a changed path is copied, so earlier outputs
 * stay intact. Operations are applied literally, like the official clients, and the final
 * `process_completed` carries the full value anyway.
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
  if (depth === path.length - 1 && (action === 'add' || action === 'delete')) {
    if (list) action === 'add' ? copy.splice(Number(key), 0, edit) : copy.splice(Number(key), 1);
    else action === 'add' ? (copy[key] = edit) : delete copy[key];
    return copy;
  }
  (copy as Record<string | number, unknown>)[key] = applyOne((copy as Record<string | number, unknown>)[key], action, path, depth + 1, edit);
  return copy;
}
