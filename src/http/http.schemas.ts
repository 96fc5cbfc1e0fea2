import { Type, type TSchema } from 'typebox';
import { AnyJson, Id } from '../shared/primitives.schema.js';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), AnyJson),
    }),
  },
  { description: 'Every error answer' },
);

export const ItemsOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

/** Standard error answers added to every route's response schema. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
} as const;

type Security = Record<string, string[]>[];
/** Admin routes: an admin-scope token, or a browser session (+ CSRF on writes). */
export const adminSecurity: Security = [{ bearer: [] }, { session: [], csrf: [] }];
/** Storefront routes: any token, or a browser session. */
export const storefrontSecurity: Security = [{ bearer: [] }, { session: [] }];
