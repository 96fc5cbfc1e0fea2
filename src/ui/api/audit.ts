import type { AuditEntry, Items } from '../types';
import { ADMIN, api, query } from './client';

/** The audit log, newest first (docs/api.md, "Audit"). */
export const listAudit = (filter: {
  actor?: string;
  objectType?: string;
  beforeId?: number;
  limit: number;
}) => api.get<Items<AuditEntry>>(`${ADMIN}/audit${query(filter)}`);
