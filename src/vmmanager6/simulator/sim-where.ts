import { AppError } from '../../shared/errors.js';

/** A compiled `where` filter: true when a list item matches. */
export type WherePredicate = (item: unknown) => boolean;

interface Cursor {
  text: string;
  at: number;
}

const operators: Record<string, (actual: string, wanted: string) => boolean> = {
  EQ: (a, w) => a === w,
  NE: (a, w) => a !== w,
  CP: (a, w) => a.toLowerCase().includes(w.replace(/%/g, '').toLowerCase()),
};

const fail = (cursor: Cursor, what: string): never => {
  throw new AppError('invalid_input', `where: ${what} at character ${cursor.at}`, { at: cursor.at });
};

const eat = (cursor: Cursor, token: string): boolean => {
  if (!cursor.text.startsWith(token, cursor.at)) return false;
  cursor.at += token.length;
  return true;
};

/** Reads values by a dotted path; an array on the way matches when any element matches. */
const valuesAt = (item: unknown, path: string[]): unknown[] => {
  if (path.length === 0) return Array.isArray(item) ? item : [item];
  if (Array.isArray(item)) return item.flatMap((element) => valuesAt(element, path));
  if (item === null || typeof item !== 'object') return [];
  return valuesAt((item as Record<string, unknown>)[path[0]!], path.slice(1));
};

const readValue = (cursor: Cursor): string => {
  if (eat(cursor, "'")) {
    const end = cursor.text.indexOf("'", cursor.at);
    if (end < 0) fail(cursor, 'unterminated quote');
    const value = cursor.text.slice(cursor.at, end);
    cursor.at = end + 1;
    return value;
  }
  const match = /^[^+()']+/.exec(cursor.text.slice(cursor.at));
  if (!match) return fail(cursor, 'value expected');
  cursor.at += match[0].length;
  return match[0];
};

const readCondition = (cursor: Cursor): WherePredicate => {
  const match = /^([A-Za-z0-9_.]+)\+([A-Z]+)\+/.exec(cursor.text.slice(cursor.at));
  if (!match) return fail(cursor, 'condition expected (field+OP+value)');
  const compare = operators[match[2]!];
  if (!compare) return fail(cursor, `unknown operator ${match[2]}`);
  cursor.at += match[0].length;
  const wanted = readValue(cursor);
  const path = match[1]!.split('.');
  return (item) => valuesAt(item, path).some((value) => compare(String(value), wanted));
};

const readTerm = (cursor: Cursor): WherePredicate => {
  if (!eat(cursor, '(')) return readCondition(cursor);
  const inner = readOr(cursor);
  if (!eat(cursor, ')')) fail(cursor, "')' expected");
  return inner;
};

const readAnd = (cursor: Cursor): WherePredicate => {
  const terms = [readTerm(cursor)];
  while (eat(cursor, '+AND+')) terms.push(readTerm(cursor));
  return (item) => terms.every((term) => term(item));
};

const readOr = (cursor: Cursor): WherePredicate => {
  const terms = [readAnd(cursor)];
  while (eat(cursor, '+OR+')) terms.push(readAnd(cursor));
  return (item) => terms.some((term) => term(item));
};

/**
 * Compiles a raw `where` value. The query is percent-decoded first, as a real installation
 * accepts `%27` for a quote (usaafko's client sends them so, browsers' fetch too); `+` stays the
 * separator. A quote inside a value therefore ends the value, here as there.
 */
export function compileWhere(raw: string): WherePredicate {
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    throw new AppError('invalid_input', 'where: not percent-encoded text', {});
  }
  const cursor: Cursor = { text, at: 0 };
  const predicate = readOr(cursor);
  if (cursor.at !== text.length) fail(cursor, 'unexpected text');
  return predicate;
}
