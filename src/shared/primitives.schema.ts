import { Type } from 'typebox';

/** Ids are positive 32-bit integers everywhere. */
export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
export const IdList = Type.Array(Id, { minItems: 1, maxItems: 10000, uniqueItems: true });
export const DisplayName = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
export const Sort = Type.Integer({ minimum: 0, maximum: 1000000000 });
export const Email = Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+$' });

// Answer-side building blocks: dates go out as ISO strings (fast-json-stringify formats Date), and
// the nullable forms keep the one-type-array JSON schema the OpenAPI document has always shown.
export const DateTime = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });
export const NullableDateTime = Type.Unsafe<Date | null>({ type: ['string', 'null'], format: 'date-time' });
export const NullableInt = Type.Unsafe<number | null>({ type: ['integer', 'null'] });
export const NullableString = Type.Unsafe<string | null>({ type: ['string', 'null'] });
export const NullableBool = Type.Unsafe<boolean | null>({ type: ['boolean', 'null'] });
export const AnyJson = Type.Unsafe<unknown>({});
