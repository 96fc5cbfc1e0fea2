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

/**
 * Strict conversion of path and query strings: only canonical text becomes a number or boolean
 * ("12", "true"); "1.5", " 1", "1e3" or "0x10" stay strings and fail validation.
 */
function convertText(schema: JsonSchemaLike, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !schema.properties) return value;
  const converted: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, text] of Object.entries(converted)) {
    if (typeof text !== 'string') continue;
    const types = typesOf(schema.properties[key]);
    if (types.includes('integer') && integerText.test(text)) converted[key] = Number(text);
    else if (types.includes('number') && numberText.test(text)) converted[key] = Number(text);
    else if (types.includes('boolean') && (text === 'true' || text === 'false'))
      converted[key] = text === 'true';
  }
  return converted;
}

/** The path of the first string holding a NUL character (PostgreSQL text cannot store one). */
function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = findNul(item, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** TypeBox's compiled checker for every part; the body is never converted, only checked. */
export const strictValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  return (value: unknown) => {
    const input = httpPart === 'body' ? value : convertText(schema, value);
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
