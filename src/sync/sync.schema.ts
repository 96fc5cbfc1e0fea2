import { Type, type Static } from 'typebox';
import { Id } from '../shared/primitives.schema.js';
import type { GuardReason } from './sync.guard.js';
import type { SyncCounts, SyncPlan } from './sync.plan.js';

export type SyncTrigger = 'initial' | 'schedule' | 'manual';
export type SyncOutcome = 'applied' | 'no_change' | 'held' | 'failed' | 'dry_run';
/** The state of a held run: waiting for an admin, applied, discarded, or replaced by a later run. */
export type HeldState = 'pending' | 'applied' | 'discarded' | 'superseded';
export type SyncStage = 'fetching' | 'planning' | 'applying' | 'recording';

/** One recorded run without its diff (lists). */
export interface SyncRunSummary {
  runId: number;
  moduleId: number;
  trigger: SyncTrigger;
  outcome: SyncOutcome;
  counts: SyncCounts;
  guardReason: GuardReason | null;
  /** A sentence explaining the hold, when held. */
  guardMessage: string | null;
  error: { code: string; message: string } | null;
  heldState: HeldState | null;
  heldResolvedAt: Date | null;
  heldResolvedBy: string | null;
  /** For a run that applied a held run: that run's id. */
  appliedFromRunId: number | null;
  slot: Date | null;
  actor: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** How many runs this entry stands for: 1, or more when repeated no-change runs were folded into it. */
  runCount: number;
  /** When the last of those runs finished (`finishedAt` for a single run). */
  lastFinishedAt: Date | null;
}

/** One recorded run with its diff; `diff` is null when the run failed before planning. */
export interface SyncRunResult extends SyncRunSummary {
  diff: SyncPlan | null;
}

export const emptyCounts = (): SyncCounts => ({
  upstream: 0,
  added: 0,
  connected: 0,
  disconnected: 0,
  updated: 0,
  unchanged: 0,
  renameCandidates: 0,
  unavailable: 0,
  skipped: 0,
});

export const SyncRunQuery = Type.Object(
  {
    moduleId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type SyncRunQuery = Static<typeof SyncRunQuery>;

export const RemapInput = Type.Union([
  Type.Object({ fromValueId: Id, toValueId: Id }, { additionalProperties: false }),
  Type.Object(
    { fromInternalName: Type.String({ minLength: 1 }), toInternalName: Type.String({ minLength: 1 }) },
    { additionalProperties: false },
  ),
]);
export type RemapInput = Static<typeof RemapInput>;

/** A rename candidate as it stands in the catalog now (see `selectRenameCandidates`). */
export interface StoredRenameCandidate {
  moduleId: number;
  reason: 'case_change' | 'same_upstream_id';
  from: { valueId: number; internalName: string; displayName: string; upstreamId: number | null };
  to: { valueId: number; internalName: string; displayName: string; upstreamId: number | null };
}
