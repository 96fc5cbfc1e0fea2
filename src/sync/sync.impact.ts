import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.js';
import { queryRows } from '../db/query.js';
import type { SyncPlan, TariffImpact } from './sync.plan.js';

/** How many template names an impact entry lists per direction; the counts are exact. */
export const impactNameLimit = 20;

interface ExistingImpactRow {
  tariffId: number;
  tariffName: string;
  gained: number;
  lost: number;
  gainedTemplates: string[] | null;
  lostTemplates: string[] | null;
}

interface TariffRow {
  id: number;
  name: string;
  diskMib: number | null;
  moduleEnabled: boolean;
}

/**
 * The tariffs (of those using the module) that gain or lose orderable templates if the plan is
 * applied: the orderable rule before and after, in two statements whatever the plan's size.
 */
export async function computeImpact(db: DbOrTx, moduleId: number, plan: SyncPlan): Promise<TariffImpact[]> {
  const existing = await selectExistingImpact(db, moduleId, plan);
  const byTariff = new Map<number, TariffImpact>(
    existing.map((r) => [
      r.tariffId,
      { ...r, gainedTemplates: r.gainedTemplates ?? [], lostTemplates: r.lostTemplates ?? [] },
    ]),
  );
  const offered = plan.add.filter((a) => !a.awaitingReview);
  if (offered.length > 0) {
    // Tariffs share a few disk sizes: the fitting adds are worked out once per size.
    const fittingByDisk = new Map<number | null, SyncPlan['add']>();
    for (const tariff of await selectTariffsOfModule(db, moduleId)) {
      if (!tariff.moduleEnabled) continue;
      let fitting = fittingByDisk.get(tariff.diskMib);
      if (!fitting) fittingByDisk.set(tariff.diskMib, (fitting = fittingAdds(offered, tariff.diskMib)));
      addGains(byTariff, tariff, fitting);
    }
  }
  return [...byTariff.values()].sort((a, b) => a.tariffId - b.tariffId);
}

// A new value has no per-tariff decision yet: it is orderable where its minimum disk fits.
const fittingAdds = (offered: SyncPlan['add'], diskMib: number | null) =>
  offered.filter((a) => diskMib === null || a.minDiskMib === null || a.minDiskMib <= diskMib);

function addGains(byTariff: Map<number, TariffImpact>, tariff: TariffRow, fitting: SyncPlan['add']) {
  if (fitting.length === 0) return;
  const entry = byTariff.get(tariff.id) ?? {
    tariffId: tariff.id,
    tariffName: tariff.name,
    gained: 0,
    lost: 0,
    gainedTemplates: [],
    lostTemplates: [],
  };
  entry.gained += fitting.length;
  const room = impactNameLimit - entry.gainedTemplates.length;
  if (room > 0) entry.gainedTemplates.push(...fitting.slice(0, room).map((a) => a.internalName));
  byTariff.set(tariff.id, entry);
}

async function selectTariffsOfModule(db: DbOrTx, moduleId: number): Promise<TariffRow[]> {
  return queryRows<TariffRow>(
    db,
    sql`
    select t.id, t.name, t.disk_mib as "diskMib", pm.enabled as "moduleEnabled"
    from tariff_modules tm
    join tariffs t on t.id = tm.tariff_id
    join processing_modules pm on pm.id = tm.module_id
    where tm.module_id = ${moduleId}`,
  );
}

// The orderable rule of `selectOrderableTemplates`, evaluated for the changed existing values
// with this module's connection and the minimum disk as they are now and as the plan leaves them.
async function selectExistingImpact(db: DbOrTx, moduleId: number, plan: SyncPlan) {
  const changes = [
    ...plan.connect.map((c) => ({ value_id: c.valueId, connected: true, ...diskAfter(c.changes) })),
    ...plan.update
      .filter((u) => u.changes.minDiskMib)
      .map((u) => ({ value_id: u.valueId, connected: true, ...diskAfter(u.changes) })),
    ...plan.disconnect.map((d) => ({
      value_id: d.valueId,
      connected: false,
      set_disk: false,
      min_disk: null,
    })),
  ];
  if (changes.length === 0) return [];
  return queryRows<ExistingImpactRow>(
    db,
    sql`
    with ch as (
      select * from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb)
        as x(value_id int, connected boolean, set_disk boolean, min_disk int)
    ),
    here as (select enabled from processing_modules where id = ${moduleId}),
    tt as (
      select t.id, t.name, t.disk_mib from tariff_modules tm join tariffs t on t.id = tm.tariff_id
      where tm.module_id = ${moduleId}
    ),
    other as (
      select distinct tm.tariff_id, mt.value_id
      from tt
      join tariff_modules tm on tm.tariff_id = tt.id and tm.module_id <> ${moduleId}
      join processing_modules pm on pm.id = tm.module_id and pm.enabled
      join module_templates mt on mt.module_id = tm.module_id and mt.connected
      join ch on ch.value_id = mt.value_id
    ),
    judged as (
      select tt.id as tariff_id, tt.name as tariff_name, v.internal_name, v.sort,
        (v.retired_at is null and not v.disabled and coalesce(s.enabled, not v.awaiting_review)) as allowed,
        (o.value_id is not null) as via_other,
        coalesce(mt.connected, false) and (select enabled from here) as here_before,
        ch.connected and (select enabled from here) as here_after,
        (tt.disk_mib is null or v.min_disk_mib is null or v.min_disk_mib <= tt.disk_mib) as fits_before,
        (tt.disk_mib is null or (case when ch.set_disk then ch.min_disk else v.min_disk_mib end) is null
          or (case when ch.set_disk then ch.min_disk else v.min_disk_mib end) <= tt.disk_mib) as fits_after
      from tt cross join ch
      join parameter_values v on v.id = ch.value_id
      left join module_templates mt on mt.module_id = ${moduleId} and mt.value_id = v.id
      left join tariff_template_settings s on s.tariff_id = tt.id and s.value_id = v.id
      left join other o on o.tariff_id = tt.id and o.value_id = v.id
    ),
    flips as (
      select tariff_id, tariff_name, internal_name, sort,
        allowed and (via_other or here_before) and fits_before as before,
        allowed and (via_other or here_after) and fits_after as after
      from judged
    )
    select tariff_id as "tariffId", tariff_name as "tariffName",
      count(*) filter (where after)::int as gained,
      count(*) filter (where before)::int as lost,
      (array_agg(internal_name order by sort, internal_name) filter (where after))[1:${sql.raw(String(impactNameLimit))}]
        as "gainedTemplates",
      (array_agg(internal_name order by sort, internal_name) filter (where before))[1:${sql.raw(String(impactNameLimit))}]
        as "lostTemplates"
    from flips where before <> after
    group by tariff_id, tariff_name`,
  );
}

const diskAfter = (changes: { minDiskMib?: { to: number | null } }) => ({
  set_disk: changes.minDiskMib !== undefined,
  min_disk: changes.minDiskMib?.to ?? null,
});
