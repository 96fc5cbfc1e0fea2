import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

const integerText = /^-?(0|[1-9][0-9]{0,15})$/;
const numberText = /^-?(0|[1-9][0-9]{0,15})(\.[0-9]{1,15})?$/;

interface JsonSchemaLike {
  type?: string | string[];
  properties?: Record<string, JsonSchemaLike>;
  anyOf?: JsonSchemaLike[];
}

const typesOf = (schema: JsonSchemaLike | undefined): string[] => {
  if (!schema) return [];
  const own = schema.type === undefined ? [] : [schema.type].flat();
  return [...own, ...(schema.anyOf ?? []).flatMap(typesOf)];
};

type Conversion = 'integer' | 'number' | 'boolean';

/** What each path/query key may become, worked out once per schema (not per request). */
function conversionsOf(schema: JsonSchemaLike): [string, Conversion[]][] {
  return Object.entries(schema.properties ?? {})
    .map(([key, property]): [string, Conversion[]] => {
      const types = typesOf(property);
      const kinds = (['integer', 'number', 'boolean'] as const).filter((kind) => types.includes(kind));
      return [key, kinds];
    })
    .filter(([, kinds]) => kinds.length > 0);
}

/**
 * Strict conversion of path and query strings: only canonical text becomes a number or boolean
 * ("12", "true"); "1.5", " 1", "1e3" or "0x10" stay strings and fail validation.
 */
function convertText(conversions: [string, Conversion[]][], value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const converted: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, kinds] of conversions) {
    const text = converted[key];
    if (typeof text !== 'string') continue;
    if (kinds.includes('integer') && integerText.test(text)) converted[key] = Number(text);
    else if (kinds.includes('number') && numberText.test(text)) converted[key] = Number(text);
    else if (kinds.includes('boolean') && (text === 'true' || text === 'false'))
      converted[key] = text === 'true';
  }
  return converted;
}

/** The path of the first string holding a NUL character (PostgreSQL text cannot store one). */
function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    // Paths are built only for nested objects and the hit, not for every flat string.
    if (typeof item === 'string' && !item.includes('\u0000')) continue;
    const found = findNul(item, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** TypeBox's compiled checker for every part; the body is never converted, only checked. */
export const strictValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  const conversions = conversionsOf(schema);
  return (value: unknown) => {
    const input = httpPart === 'body' ? value : convertText(conversions, value);
    const nul = findNul(input, '');
    if (nul !== undefined) {
      const issue = {
        instancePath: nul,
        keyword: 'nul',
        message: 'must not contain a NUL character',
        params: {},
      };
      return { error: [issue] as unknown as Error };
    }
    if (check.Check(input)) return { value: input };
    return { error: [...check.Errors(input)] as unknown as Error };
  };
};
