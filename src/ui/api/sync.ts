import type { Items, RenameCandidate, SyncRun } from '../types';
import { ADMIN, api, query } from './client';

/** The sync API: runs, held plans and rename candidates (docs/api.md, "Sync"). */
export const runSync = (moduleId: number, kind: string) =>
  api.post<SyncRun>(`${ADMIN}/modules/${moduleId}/${kind}`);

export const listSyncRuns = (moduleId: number, limit: number) =>
  api.get<Items<SyncRun>>(`${ADMIN}/sync-runs${query({ moduleId, limit })}`);

export const getSyncRun = (runId: number) => api.get<SyncRun>(`${ADMIN}/sync-runs/${runId}`);

/** Applies or discards a held plan. */
export const resolveHeldRun = (runId: number, how: string) => api.post(`${ADMIN}/sync-runs/${runId}/${how}`);

export const listRenameCandidates = (moduleId: number) =>
  api.get<Items<RenameCandidate>>(`${ADMIN}/rename-candidates${query({ moduleId })}`);

export const remapTemplate = (body: unknown) => api.post(`${ADMIN}/rename-candidates/remap`, body);
