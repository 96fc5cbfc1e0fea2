import type { Tx } from '../db/database.js';
import { notFound } from '../shared/errors.js';
import type { ModuleRow } from '../modules/modules.repository.js';
import { describeGuardReason, guardPlan, type GuardReason } from './sync.guard.js';
import { computeImpact } from './sync.impact.js';
import { isEmptyPlan, planSync, unchangedPlan, type SyncPlan, type UpstreamSet } from './sync.plan.js';
import { selectOsParameterRevision, selectPlanState, type LockedModule } from './sync.repository.js';
import type { SyncOutcome } from './sync.schema.js';

/** What one run decided before applying anything. */
export interface RunDecision {
  plan: SyncPlan;
  outcome: Exclude<SyncOutcome, 'failed'>;
  guardReason: GuardReason | null;
  parameterId: number;
  /** The catalog revision the plan was made against (for `no_change`: at which it is empty). */
  catalogRevision: number;
}

export interface DecideInput {
  module: ModuleRow;
  locked: LockedModule;
  upstream: UpstreamSet;
  upstreamHash: string;
  dryRun: boolean;
  /** Skip the guard (an admin said so, or a held plan is being applied). */
  force: boolean;
  /** Always plan in full (applying a held plan). */
  replan: boolean;
}

/**
 * Plans one run inside its transaction (after the module row is locked) and names its outcome.
 * When the upstream set and the catalog revision equal the module's last "nothing to do" mark,
 * the plan is not recomputed: it would be empty again (`unchangedPlan`).
 */
export async function decideRun(tx: Tx, input: DecideInput): Promise<RunDecision> {
  const { module, locked, upstream, upstreamHash } = input;
  const parameter = await selectOsParameterRevision(tx, module.productTypeId);
  if (!parameter) throw notFound('OS parameter of product type', module.productTypeId);
  const { catalogRevision } = parameter;
  if (
    !input.dryRun &&
    !input.replan &&
    locked.syncUpstreamHash === upstreamHash &&
    locked.syncCatalogRevision === parameter.catalogRevision
  ) {
    const plan = unchangedPlan(upstream);
    return { plan, outcome: 'no_change', guardReason: null, parameterId: parameter.id, catalogRevision };
  }
  const state = await selectPlanState(tx, parameter.id, module.id);
  const policy = module.newTemplatePolicy === 'hold' ? 'hold' : 'enable';
  const plan = planSync({
    values: state.values,
    connections: state.connections,
    upstream: upstream.templates,
    skipped: upstream.skipped,
    policy,
  });
  plan.impact = await computeImpact(tx, module.id, plan);
  const facts = {
    upstreamCount: upstream.templates.length,
    connectedCount: state.connections.filter((c) => c.connected).length,
    listedCount: upstream.listed,
    skippedCount: upstream.skipped.length,
    maxDisconnectShare: module.guardMaxDisconnectShare,
  };
  // A dry run reports what the guard would say; only a real run is held.
  const guardReason = input.force ? null : guardPlan(plan, facts);
  if (guardReason)
    plan.guard = { reason: guardReason, message: describeGuardReason(guardReason, plan, facts) };
  const outcome = input.dryRun
    ? 'dry_run'
    : guardReason
      ? 'held'
      : isEmptyPlan(plan)
        ? 'no_change'
        : 'applied';
  return { plan, outcome, guardReason, parameterId: parameter.id, catalogRevision: state.catalogRevision };
}
