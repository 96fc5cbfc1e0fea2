import type { SyncPlan } from './sync.plan.js';

/** Why a plan was held instead of applied. */
export type GuardReason = 'empty_upstream' | 'too_many_disconnects';

export interface GuardFacts {
  upstreamCount: number;
  /** Templates connected to the module before this sync. */
  connectedCount: number;
  /** The module's `guard_max_disconnect_share` (0–1). */
  maxDisconnectShare: number;
}

/**
 * The outage guard: an empty upstream list while the module serves templates, or a plan that
 * disconnects more than the allowed share of them, is held for an admin instead of applied.
 */
export function guardPlan(plan: SyncPlan, facts: GuardFacts): GuardReason | null {
  if (facts.connectedCount === 0) return null;
  if (facts.upstreamCount === 0) return 'empty_upstream';
  if (plan.disconnect.length > facts.maxDisconnectShare * facts.connectedCount) return 'too_many_disconnects';
  return null;
}

/** A sentence for the run record and the alert. */
export function describeGuardReason(reason: GuardReason, plan: SyncPlan, facts: GuardFacts): string {
  switch (reason) {
    case 'empty_upstream':
      return `VMmanager listed no templates while the module serves ${facts.connectedCount}`;
    case 'too_many_disconnects':
      return (
        `the sync would disconnect ${plan.disconnect.length} of ${facts.connectedCount} templates, ` +
        `more than the allowed ${Math.round(facts.maxDisconnectShare * 100)} %`
      );
  }
}
