import { Type } from 'typebox';

/** Ids are positive 32-bit integers everywhere. */
export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
export const IdList = Type.Array(Id, { minItems: 1, maxItems: 10000, uniqueItems: true });
export const DisplayName = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
export const Sort = Type.Integer({ minimum: 0, maximum: 1000000000 });
export const Email = Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+$' });
