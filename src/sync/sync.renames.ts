import type {
  CatalogConnection,
  PlannedConnect,
  PlannedDisconnect,
  RenameCandidate,
  UpstreamTemplate,
} from './sync.plan-types.js';

/**
 * Pairs each template gone from VMmanager with one arriving (new or reconnected) that looks like
 * it renamed: the same name but for case, else the same VMmanager id. Only reported, never applied
 * (the admin remaps); each arriving template is matched at most once.
 */
export function findRenameCandidates(
  gone: PlannedDisconnect[],
  connectionOf: Map<number, CatalogConnection>,
  newTemplates: UpstreamTemplate[],
  connect: PlannedConnect[],
): RenameCandidate[] {
  const arriving: RenameCandidate['to'][] = [
    ...newTemplates.map((t) => ({ valueId: null, internalName: t.internalName, upstreamId: t.upstreamId })),
    ...connect.map((c) => ({ valueId: c.valueId, internalName: c.internalName, upstreamId: c.upstreamId })),
  ];
  const byLowerName = groupBy(arriving, (a) => a.internalName.toLowerCase());
  const byUpstreamId = groupBy(arriving, (a) => String(a.upstreamId));
  const taken = new Set<string>();
  const firstFree = (list: typeof arriving | undefined) => list?.find((a) => !taken.has(a.internalName));
  const candidates: RenameCandidate[] = [];
  for (const old of gone) {
    const oldUpstreamId = connectionOf.get(old.valueId)?.upstreamId ?? null;
    const sameCase = firstFree(byLowerName.get(old.internalName.toLowerCase()));
    const sameId = oldUpstreamId === null ? undefined : firstFree(byUpstreamId.get(String(oldUpstreamId)));
    const match = sameCase ?? sameId;
    if (!match) continue;
    taken.add(match.internalName);
    candidates.push({
      reason: sameCase ? 'case_change' : 'same_upstream_id',
      from: { valueId: old.valueId, internalName: old.internalName, upstreamId: oldUpstreamId },
      to: match,
    });
  }
  return candidates;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
