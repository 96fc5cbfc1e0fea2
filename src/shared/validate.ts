import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { AppError, type ErrorCode } from './errors.js';

export interface SchemaIssue {
  /** A dotted path to the offending field, e.g. `list.3.name`; empty for the whole value. */
  path: string;
  message: string;
}

const toPath = (instancePath: string): string => instancePath.split('/').filter(Boolean).join('.');

const validators = new WeakMap<TSchema, ReturnType<typeof Compile>>();

const validatorFor = (schema: TSchema): ReturnType<typeof Compile> => {
  let validator = validators.get(schema);
  if (!validator) {
    validator = Compile(schema);
    validators.set(schema, validator);
  }
  return validator;
};

/** True when `value` conforms to `schema` (the per-field checks of tolerant upstream parsing). */
export function conforms(schema: TSchema, value: unknown): boolean {
  return validatorFor(schema).Check(value);
}

/** Lists what is wrong with `value` against `schema`; empty when it conforms. */
export function listIssues(schema: TSchema, value: unknown): SchemaIssue[] {
  const validator = validatorFor(schema);
  if (validator.Check(value)) return [];
  return [...validator.Errors(value)]
    .filter((issue) => issue.keyword !== 'boolean')
    .map((issue) => ({ path: toPath(issue.instancePath), message: issue.message }));
}

/**
 * Parses `value` with `schema` at one of our edges (config, CLI flags, upstream answers).
 * A failure is an AppError with `code` whose message names the first offending field.
 */
export function parseWith<S extends TSchema>(
  schema: S,
  value: unknown,
  options: { code?: ErrorCode; what: string },
): Static<S> {
  const issues = listIssues(schema, value);
  if (issues.length === 0) return value as Static<S>;
  const first = issues[0]!;
  const where = first.path ? `${options.what}.${first.path}` : options.what;
  throw new AppError(options.code ?? 'invalid_input', `${where} ${first.message}`, {
    field: first.path || undefined,
    issues: issues.slice(0, 10),
  });
}
