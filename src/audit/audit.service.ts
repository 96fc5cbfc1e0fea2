import { Type } from 'typebox';
import type { Db } from '../db/database.js';
import { parseWith } from '../shared/validate.js';
import { selectAuditRecords, type AuditFilter, type AuditRecord } from './audit.repository.js';

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

export type AuditService = ReturnType<typeof createAuditService>;

/** Reads the audit log (writes happen inside each service's own transaction). */
export function createAuditService(deps: { db: Db }) {
  return {
    async listAudit(filter: AuditFilter = {}): Promise<AuditRecord[]> {
      return selectAuditRecords(deps.db, parseWith(AuditQuery, filter, { what: 'filter' }));
    },
  };
}
