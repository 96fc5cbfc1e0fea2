import type { Db } from '../db/database.js';
import { parseWith } from '../shared/validate.js';
import { selectAuditRecords } from './audit.repository.js';
import { AuditQuery, type AuditFilter, type AuditRecord } from './audit.schema.js';

export type AuditService = ReturnType<typeof createAuditService>;

/** Reads the audit log (writes happen inside each service's own transaction). */
export function createAuditService(deps: { db: Db }) {
  return {
    async listAudit(filter: AuditFilter = {}): Promise<AuditRecord[]> {
      return selectAuditRecords(deps.db, parseWith(AuditQuery, filter, { what: 'filter' }));
    },
  };
}
