/** Equal as stored: dates by their time, arrays element by element, everything else by `===`. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  return a === b;
}

/**
 * True when writing `changes` over `current` would change nothing: every key it sets already
 * has that value. An admin write that changes nothing stores nothing (no new updated_at, no
 * audit row): forms send every field, and enable may hit an enabled object.
 */
export function changesNothing(current: object, changes: object): boolean {
  const now = current as Record<string, unknown>;
  return Object.entries(changes).every(([key, value]) => sameValue(now[key], value));
}
