import { Type, type Static } from 'typebox';
import { AnyJson, DateTime } from '../shared/primitives.schema.js';

/** The audit log's filter: by object and by actor (`admin:<email>`, `token:<name>`), paged by id. */
export const AuditQuery = Type.Object(
  {
    objectType: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    objectId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
    beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type AuditFilter = Static<typeof AuditQuery>;

/** One recorded admin write: who, what, on which object, and the fields before and after. */
export const AuditRecord = Type.Object({
  id: Type.Integer(),
  at: DateTime,
  actor: Type.String(),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.String(),
  before: AnyJson,
  after: AnyJson,
});
export type AuditRecord = Static<typeof AuditRecord>;
