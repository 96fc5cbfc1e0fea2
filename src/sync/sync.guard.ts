import type { SyncPlan } from './sync.plan.js';

/** Why a plan was held instead of applied. */
export type GuardReason = 'empty_upstream' | 'too_many_disconnects' | 'too_many_skipped';

export interface GuardFacts {
  upstreamCount: number;
  /** Templates connected to the module before this sync. */
  connectedCount: number;
  /** Items in VMmanager's answer, and how many of them could not be used. */
  listedCount: number;
  skippedCount: number;
  /** The module's `guard_max_disconnect_share` (0–1). */
  maxDisconnectShare: number;
}

/**
 * The outage guard: an answer with more than the allowed share of unusable items (VMmanager
 * changed its answers, or sent something else), an empty upstream list while the module serves
 * templates, or a plan that disconnects more than the allowed share of them, is held for an
 * admin instead of applied.
 */
export function guardPlan(plan: SyncPlan, facts: GuardFacts): GuardReason | null {
  if (facts.skippedCount > 0 && facts.skippedCount > facts.maxDisconnectShare * facts.listedCount)
    return 'too_many_skipped';
  if (facts.connectedCount === 0) return null;
  if (facts.upstreamCount === 0) return 'empty_upstream';
  if (plan.disconnect.length > facts.maxDisconnectShare * facts.connectedCount) return 'too_many_disconnects';
  return null;
}

const percent = (share: number) => `${Math.round(share * 100)} %`;

/** A sentence for the run record and the alert. */
export function describeGuardReason(reason: GuardReason, plan: SyncPlan, facts: GuardFacts): string {
  switch (reason) {
    case 'empty_upstream':
      return `VMmanager listed no templates while the module serves ${facts.connectedCount}`;
    case 'too_many_disconnects':
      return (
        `the sync would disconnect ${plan.disconnect.length} of ${facts.connectedCount} templates, ` +
        `more than the allowed ${percent(facts.maxDisconnectShare)}`
      );
    case 'too_many_skipped':
      return (
        `${facts.skippedCount} of the ${facts.listedCount} items VMmanager listed could not be used, ` +
        `more than the allowed ${percent(facts.maxDisconnectShare)}` +
        (plan.skipped[0] ? ` (first: ${plan.skipped[0].reason})` : '')
      );
  }
}
