import type {
  CatalogConnection,
  CatalogValue,
  ConnectionPlacement,
  FieldChanges,
  PlanInput,
  PlannedAdd,
  PlannedConnect,
  PlannedDisconnect,
  PlannedUnavailable,
  PlannedUpdate,
  SyncPlan,
  UpstreamSet,
  UpstreamTemplate,
} from './sync.plan-types.js';
import { findRenameCandidates } from './sync.renames.js';

export type * from './sync.plan-types.js';

const sortStep = 10;

/** How many skipped items a plan lists; `counts.skipped` is exact. */
export const skippedListLimit = 50;

/**
 * The reconcile diff of one module: a pure function of the catalog state and the upstream set.
 * Adds, connects, updates (VMmanager-owned fields only), disconnects (never deletes) and reports
 * rename candidates; the impact on tariffs is filled in later by the service (it needs SQL).
 */
export function planSync(input: PlanInput): SyncPlan {
  const { upstream, duplicates } = dedupeUpstream(input.upstream);
  const byName = new Map(input.values.map((v) => [v.internalName, v]));
  const connectionOf = new Map(input.connections.map((c) => [c.valueId, c]));
  const upstreamNames = new Set(upstream.map((u) => u.internalName));

  const newTemplates: UpstreamTemplate[] = [];
  const connect: PlannedConnect[] = [];
  const update: PlannedUpdate[] = [];
  const unavailable: PlannedUnavailable[] = [];
  let unchanged = 0;
  for (const template of upstream) {
    const value = byName.get(template.internalName);
    const connection = value ? connectionOf.get(value.id) : undefined;
    if (!template.available) {
      unavailable.push(planUnavailable(template, value, connection));
      continue;
    }
    if (!value) {
      newTemplates.push(template);
      continue;
    }
    const changes = changesOf(value, connection, template);
    const placement = placementOf(template);
    if (!connection?.connected) {
      connect.push({
        valueId: value.id,
        internalName: value.internalName,
        upstreamId: template.upstreamId,
        changes,
        placement,
      });
    } else if (Object.keys(changes).length > 0) {
      update.push({ valueId: value.id, internalName: value.internalName, changes, placement });
    } else {
      unchanged += 1;
    }
  }

  const valueById = new Map(input.values.map((v) => [v.id, v]));
  const skipped = input.skipped ?? [];
  const keptIds = new Set(skipped.map((s) => s.upstreamId));
  const keptNames = new Set(skipped.map((s) => s.internalName));
  const isGone = (c: CatalogConnection) => {
    const name = valueById.get(c.valueId)?.internalName ?? '';
    return (
      !upstreamNames.has(name) &&
      !keptNames.has(name) &&
      !(c.upstreamId !== null && keptIds.has(c.upstreamId))
    );
  };
  const disconnect: PlannedDisconnect[] = input.connections
    .filter((c) => c.connected && isGone(c))
    .map((c) => ({ valueId: c.valueId, internalName: valueById.get(c.valueId)?.internalName ?? '' }))
    .sort((a, b) => compareText(a.internalName, b.internalName));

  const renameCandidates = findRenameCandidates(disconnect, connectionOf, newTemplates, connect);
  const renamedTo = new Set(
    renameCandidates.filter((c) => c.to.valueId === null).map((c) => c.to.internalName),
  );
  const add = planAdds(newTemplates, input, renamedTo);
  return {
    add,
    connect,
    update,
    disconnect,
    unavailable,
    unchanged,
    renameCandidates,
    duplicates,
    skipped: skipped.slice(0, skippedListLimit),
    impact: [],
    guard: null,
  };
}

/**
 * The plan of a run that finds the upstream set and the catalog exactly as the module's last run
 * with nothing to do left them: `planSync` is a pure function of both, so it is that run's empty
 * plan again, with the same counts and duplicates.
 */
export function unchangedPlan(upstream: UpstreamSet): SyncPlan {
  const deduped = dedupeUpstream(upstream.templates);
  const unavailable = deduped.upstream
    .filter((t) => !t.available)
    .map((t) => ({
      valueId: null,
      internalName: t.internalName,
      upstreamId: t.upstreamId,
      reason: t.unavailableReason ?? 'unavailable',
      changed: false,
    }));
  return {
    add: [],
    connect: [],
    update: [],
    disconnect: [],
    unavailable,
    unchanged: deduped.upstream.length - unavailable.length,
    renameCandidates: [],
    duplicates: deduped.duplicates,
    skipped: upstream.skipped.slice(0, skippedListLimit),
    impact: [],
    guard: null,
    shortcut: true,
  };
}

/** True when applying the plan would change nothing in the catalog. */
export function isEmptyPlan(plan: SyncPlan): boolean {
  return (
    plan.add.length + plan.connect.length + plan.update.length + plan.disconnect.length === 0 &&
    !plan.unavailable.some((u) => u.changed)
  );
}

/** The counts recorded with a run. */
export function countPlan(plan: SyncPlan, upstream: UpstreamSet) {
  return {
    upstream: upstream.templates.length,
    added: plan.add.length,
    connected: plan.connect.length,
    disconnected: plan.disconnect.length,
    updated: plan.update.length,
    unchanged: plan.unchanged,
    renameCandidates: plan.renameCandidates.length,
    unavailable: plan.unavailable.length,
    skipped: upstream.skipped.length,
  };
}

export type SyncCounts = ReturnType<typeof countPlan>;

function dedupeUpstream(templates: UpstreamTemplate[]): {
  upstream: UpstreamTemplate[];
  duplicates: string[];
} {
  // The usual case, and the one every no-op run checks: no name listed twice.
  if (new Set(templates.map((t) => t.internalName)).size === templates.length)
    return { upstream: templates, duplicates: [] };
  const kept = new Map<string, UpstreamTemplate>();
  const duplicates = new Set<string>();
  for (const template of templates) {
    const seen = kept.get(template.internalName);
    if (seen) duplicates.add(template.internalName);
    if (!seen || template.upstreamId < seen.upstreamId) kept.set(template.internalName, template);
  }
  return { upstream: [...kept.values()], duplicates: [...duplicates].sort(compareText) };
}

// What VMmanager owns: the minimum disk and RAM, the OS group, the upstream id, and the display name
// until an admin renames it.
function changesOf(
  value: CatalogValue,
  connection: CatalogConnection | undefined,
  template: UpstreamTemplate,
): FieldChanges {
  const changes: FieldChanges = {};
  if (value.minDiskMib !== template.minDiskMib)
    changes.minDiskMib = { from: value.minDiskMib, to: template.minDiskMib };
  if (value.minRamMib !== template.minRamMib)
    changes.minRamMib = { from: value.minRamMib, to: template.minRamMib };
  if (value.osGroup !== template.osGroup) changes.osGroup = { from: value.osGroup, to: template.osGroup };
  if (!value.displayNameByAdmin && value.displayName !== template.displayName)
    changes.displayName = { from: value.displayName, to: template.displayName };
  const upstreamId = connection?.upstreamId ?? null;
  if (upstreamId !== template.upstreamId) changes.upstreamId = { from: upstreamId, to: template.upstreamId };
  const clusterIds = connection?.clusterIds ?? null;
  if (!sameIds(clusterIds, template.clusterIds))
    changes.clusterIds = { from: clusterIds, to: template.clusterIds };
  const virtualization = connection?.virtualization ?? null;
  if (virtualization !== template.virtualization)
    changes.virtualization = { from: virtualization, to: template.virtualization };
  if (connection && !connection.available) changes.available = { from: false, to: true };
  return changes;
}

const sameIds = (a: number[] | null, b: number[]) =>
  a !== null && a.length === b.length && a.every((id, i) => id === b[i]);

const placementOf = (t: UpstreamTemplate): ConnectionPlacement => ({
  upstreamId: t.upstreamId,
  clusterIds: t.clusterIds,
  virtualization: t.virtualization,
});

// A listed template that cannot be ordered now keeps a connection it has; a connected one is
// marked unavailable (or its reason updated), a disconnected or unknown one is only reported.
function planUnavailable(
  template: UpstreamTemplate,
  value: CatalogValue | undefined,
  connection: CatalogConnection | undefined,
): PlannedUnavailable {
  const reason = template.unavailableReason ?? 'unavailable';
  const connected = connection?.connected === true;
  return {
    valueId: value?.id ?? null,
    internalName: template.internalName,
    upstreamId: template.upstreamId,
    reason,
    changed: connected && (connection.available || connection.unavailableReason !== reason),
  };
}

function planAdds(templates: UpstreamTemplate[], input: PlanInput, renamedTo: Set<string>): PlannedAdd[] {
  const maxSort = input.values.reduce((max, v) => Math.max(max, v.sort), 0);
  // Lower-cased once per template, not once per comparison (a first sync sorts thousands).
  return templates
    .map((template) => ({ template, key: template.displayName.toLowerCase() }))
    .sort(
      (a, b) => compareText(a.key, b.key) || compareText(a.template.internalName, b.template.internalName),
    )
    .map(({ template: t }, i) => ({
      internalName: t.internalName,
      displayName: t.displayName,
      minDiskMib: t.minDiskMib,
      minRamMib: t.minRamMib,
      osGroup: t.osGroup,
      tags: t.tags,
      sort: maxSort + sortStep * (i + 1),
      upstreamId: t.upstreamId,
      clusterIds: t.clusterIds,
      virtualization: t.virtualization,
      awaitingReview: input.policy === 'hold' || renamedTo.has(t.internalName),
    }));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
