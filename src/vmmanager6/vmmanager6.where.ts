import { AppError } from '../shared/errors.js';

/** A `where` filter as VMmanager 6 reads it, e.g. `((name+EQ+'Debian 12')+AND+(state+EQ+'active'))`. */
export type WhereFilter = string;

export type WhereOperator = 'EQ' | 'NE' | 'CP';

/** One condition of a `where` filter. */
export interface WhereCondition {
  field: string;
  value: string | number | boolean;
  op?: WhereOperator;
}

// The filter's own syntax characters (+ ' ( )) must reach the server as they are, so values are
// encoded here, including the characters encodeURIComponent leaves alone.
const encodeValue = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Builds one `(field+OP+'value')` condition. */
export function whereCondition({ field, value, op = 'EQ' }: WhereCondition): WhereFilter {
  if (!/^[A-Za-z0-9_.]+$/.test(field))
    throw new AppError('invalid_input', `not a VMmanager field name: ${field}`, { field });
  // VMmanager decodes the query before it reads the filter, so an encoded quote still ends the value.
  if (String(value).includes("'"))
    throw new AppError('invalid_input', `a VMmanager filter value cannot hold a quote: ${field}`, { field });
  return `(${field}+${op}+'${encodeValue(String(value))}')`;
}

/** Joins conditions with `+AND+` into one filter. */
export function whereAll(conditions: readonly WhereCondition[]): WhereFilter {
  return `(${conditions.map(whereCondition).join('+AND+')})`;
}

/** Joins conditions with `+OR+` into one filter. */
export function whereAny(conditions: readonly WhereCondition[]): WhereFilter {
  return `(${conditions.map(whereCondition).join('+OR+')})`;
}
