import type { DbOrTx } from '../db/database.js';
import { isOrderable, type OrderableFacts } from '../catalog/orderable.rule.js';
import type { PlannedAdd, SyncPlan, TariffImpact } from './sync.plan.js';
import { selectImpactFacts, type ImpactFacts } from './sync-impact.repository.js';

/** How many template names an impact entry lists per direction; the counts are exact. */
export const impactNameLimit = 20;

/** One existing value the plan changes: whether the module serves it and its minimums after the plan. */
export interface ImpactChange {
  valueId: number;
  /** Connected to the module and available (orderable through it) after the plan. */
  serving: boolean;
  /** Set when the plan changes the minimum disk. */
  minDiskAfter?: { to: number | null };
  /** Set when the plan changes the minimum RAM. */
  minRamAfter?: { to: number | null };
}

/**
 * The tariffs (of those using the module) that gain or lose orderable templates if the plan is
 * applied: the orderable rule (`decideOrderable`) before and after, judged in memory on facts read
 * in one statement whatever the plan's size (none when the plan changes nothing).
 */
export async function computeImpact(db: DbOrTx, moduleId: number, plan: SyncPlan): Promise<TariffImpact[]> {
  const changes = changesOf(plan);
  if (changes.length === 0 && plan.add.length === 0) return [];
  const facts = await selectImpactFacts(
    db,
    moduleId,
    changes.map((c) => c.valueId),
  );
  return judgeImpact(facts, changes, plan.add);
}

/** The impact as a pure function of the facts, the changed values and the new values. */
export function judgeImpact(facts: ImpactFacts, changes: ImpactChange[], adds: PlannedAdd[]): TariffImpact[] {
  const byTariff = new Map<number, TariffImpact>();
  const entryOf = (tariff: ImpactFacts['tariffs'][number]) => {
    let entry = byTariff.get(tariff.id);
    if (!entry) {
      entry = {
        tariffId: tariff.id,
        tariffName: tariff.name,
        gained: 0,
        lost: 0,
        gainedTemplates: [],
        lostTemplates: [],
      };
      byTariff.set(tariff.id, entry);
    }
    return entry;
  };
  judgeExisting(facts, changes, entryOf);
  if (adds.length > 0) {
    // Tariffs share a few sizes: the orderable adds are worked out once per disk and RAM.
    const gainedBySize = new Map<string, PlannedAdd[]>();
    for (const tariff of facts.tariffs) {
      const size = `${tariff.diskMib} ${tariff.ramMib}`;
      let gained = gainedBySize.get(size);
      if (!gained) {
        gained = adds.filter((a) => isOrderable(newValueFacts(a, facts, tariff)));
        gainedBySize.set(size, gained);
      }
      if (gained.length > 0) addGains(entryOf(tariff), gained);
    }
  }
  return [...byTariff.values()].sort((a, b) => a.tariffId - b.tariffId);
}

// A new value has no per-tariff decision yet and only this module connects it.
const newValueFacts = (
  add: PlannedAdd,
  facts: ImpactFacts,
  tariff: { diskMib: number | null; ramMib: number | null },
): OrderableFacts => ({
  retired: false,
  disabled: false,
  deprecated: false,
  awaitingReview: add.awaitingReview,
  explicit: null,
  connectedToTariffModule: facts.moduleEnabled,
  availableOnTariffModule: facts.moduleEnabled,
  minDiskMib: add.minDiskMib,
  tariffDiskMib: tariff.diskMib,
  minRamMib: add.minRamMib,
  tariffRamMib: tariff.ramMib,
});

function addGains(entry: TariffImpact, fitting: PlannedAdd[]) {
  entry.gained += fitting.length;
  const room = impactNameLimit - entry.gainedTemplates.length;
  if (room > 0) entry.gainedTemplates.push(...fitting.slice(0, room).map((a) => a.internalName));
}

// The orderable rule (`isOrderable`) for each (tariff, changed value), with this module's connection and the
// minimums as they are now and as the plan leaves them.
function judgeExisting(
  facts: ImpactFacts,
  changes: ImpactChange[],
  entryOf: (tariff: ImpactFacts['tariffs'][number]) => TariffImpact,
) {
  const changeOf = new Map(changes.map((c) => [c.valueId, c]));
  const settingsOf = groupPairs(facts.settings.map(([t, v, enabled]) => [t, v, enabled] as const));
  const servedBy = groupPairs(facts.otherServing.map(([m, v]) => [v, m, true] as const));
  const othersOf = new Map<number, number[]>();
  for (const [tariffId, moduleId] of facts.otherModules)
    othersOf.set(tariffId, [...(othersOf.get(tariffId) ?? []), moduleId]);
  // One facts object, refilled for each pair: this loop runs tariffs × changed values times.
  const pair: OrderableFacts = {
    retired: false,
    disabled: false,
    deprecated: false,
    awaitingReview: false,
    explicit: null,
    connectedToTariffModule: false,
    availableOnTariffModule: false,
    minDiskMib: null,
    tariffDiskMib: null,
    minRamMib: null,
    tariffRamMib: null,
  };
  for (const tariff of facts.tariffs) {
    const settings = settingsOf.get(tariff.id);
    const others = othersOf.get(tariff.id);
    pair.tariffDiskMib = tariff.diskMib;
    pair.tariffRamMib = tariff.ramMib;
    let entry: TariffImpact | undefined;
    for (const value of facts.values) {
      const change = changeOf.get(value.id);
      if (!change) continue;
      const viaOther = others?.some((m) => servedBy.get(value.id)?.has(m)) ?? false;
      pair.retired = value.retired;
      pair.disabled = value.disabled;
      pair.deprecated = value.deprecated;
      pair.awaitingReview = value.awaitingReview;
      pair.explicit = settings?.get(value.id) ?? null;
      // Only "served (connected and available) by an enabled module" matters to whether it is orderable.
      pair.connectedToTariffModule = viaOther || (value.servingHere && facts.moduleEnabled);
      pair.availableOnTariffModule = pair.connectedToTariffModule;
      pair.minDiskMib = value.minDiskMib;
      pair.minRamMib = value.minRamMib;
      const before = isOrderable(pair);
      pair.connectedToTariffModule = viaOther || (change.serving && facts.moduleEnabled);
      pair.availableOnTariffModule = pair.connectedToTariffModule;
      pair.minDiskMib = change.minDiskAfter ? change.minDiskAfter.to : value.minDiskMib;
      pair.minRamMib = change.minRamAfter ? change.minRamAfter.to : value.minRamMib;
      const after = isOrderable(pair);
      if (before === after) continue;
      entry ??= entryOf(tariff);
      const names = after ? entry.gainedTemplates : entry.lostTemplates;
      if (after) entry.gained += 1;
      else entry.lost += 1;
      if (names.length < impactNameLimit) names.push(value.internalName);
    }
  }
}

function groupPairs<V>(pairs: (readonly [number, number, V])[]): Map<number, Map<number, V>> {
  const groups = new Map<number, Map<number, V>>();
  for (const [outer, inner, value] of pairs) {
    let group = groups.get(outer);
    if (!group) groups.set(outer, (group = new Map<number, V>()));
    group.set(inner, value);
  }
  return groups;
}

function changesOf(plan: SyncPlan): ImpactChange[] {
  const minimumsAfter = (changes: {
    minDiskMib?: { to: number | null };
    minRamMib?: { to: number | null };
  }) => ({
    ...(changes.minDiskMib ? { minDiskAfter: { to: changes.minDiskMib.to } } : {}),
    ...(changes.minRamMib ? { minRamAfter: { to: changes.minRamMib.to } } : {}),
  });
  return [
    ...plan.connect.map((c) => ({ valueId: c.valueId, serving: true, ...minimumsAfter(c.changes) })),
    ...plan.update
      .filter((u) => u.changes.minDiskMib || u.changes.minRamMib || u.changes.available)
      .map((u) => ({ valueId: u.valueId, serving: true, ...minimumsAfter(u.changes) })),
    ...plan.disconnect.map((d) => ({ valueId: d.valueId, serving: false })),
    ...plan.unavailable
      .filter((u) => u.changed && u.valueId !== null)
      .map((u) => ({ valueId: u.valueId!, serving: false })),
  ];
}
