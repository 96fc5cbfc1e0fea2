import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.js';
import { queryRows } from '../db/query.js';

/** The catalog facts the impact is judged on, read in one statement (see `selectImpactFacts`). */
export interface ImpactFacts {
  moduleEnabled: boolean;
  /** Every tariff using the module, by id. */
  tariffs: { id: number; name: string; diskMib: number | null; ramMib: number | null }[];
  /** The changed values, ordered by sort and internal name (the order names are listed in). */
  values: {
    id: number;
    internalName: string;
    retired: boolean;
    disabled: boolean;
    deprecated: boolean;
    awaitingReview: boolean;
    minDiskMib: number | null;
    minRamMib: number | null;
    /** Connected to this module and available before the plan. */
    servingHere: boolean;
  }[];
  /** Explicit per-tariff decisions on the changed values: [tariffId, valueId, enabled]. */
  settings: [number, number, boolean][];
  /** Other enabled modules serving a changed value (connected and available): [moduleId, valueId]. */
  otherServing: [number, number][];
  /** The other enabled modules of each tariff: [tariffId, moduleId]. */
  otherModules: [number, number][];
}

/** The facts of `ImpactFacts` in one statement, as one JSON text (cheap on PGlite). */
export async function selectImpactFacts(
  db: DbOrTx,
  moduleId: number,
  valueIds: number[],
): Promise<ImpactFacts> {
  const ids = JSON.stringify(valueIds);
  const rows = await queryRows<{ facts: string }>(
    db,
    sql`
    with ch as (select distinct x::int as value_id from json_array_elements_text(${ids}::json) as t(x)),
    tt as (select t.id, t.name, t.disk_mib, t.ram_mib from tariff_modules tm join tariffs t on t.id = tm.tariff_id
           where tm.module_id = ${moduleId})
    select json_build_array(
      (select enabled from processing_modules where id = ${moduleId}),
      (select coalesce(json_agg(json_build_array(id, name, disk_mib, ram_mib) order by id), '[]') from tt),
      (select coalesce(json_agg(json_build_array(v.id, v.internal_name, v.retired_at is not null, v.disabled, v.deprecated_at is not null,
                v.awaiting_review, v.min_disk_mib, v.min_ram_mib, coalesce(mt.connected and mt.available, false))
                order by v.sort, v.internal_name), '[]')
       from ch join parameter_values v on v.id = ch.value_id
       left join module_templates mt on mt.module_id = ${moduleId} and mt.value_id = v.id),
      (select coalesce(json_agg(json_build_array(s.tariff_id, s.value_id, s.enabled)), '[]')
       from tariff_template_settings s join tt on tt.id = s.tariff_id join ch on ch.value_id = s.value_id
       where s.enabled is not null),
      (select coalesce(json_agg(json_build_array(mt.module_id, mt.value_id)), '[]')
       from module_templates mt join ch on ch.value_id = mt.value_id
       join processing_modules pm on pm.id = mt.module_id and pm.enabled
       where mt.module_id <> ${moduleId} and mt.connected and mt.available),
      (select coalesce(json_agg(json_build_array(tm.tariff_id, tm.module_id)), '[]')
       from tariff_modules tm join tt on tt.id = tm.tariff_id
       join processing_modules pm on pm.id = tm.module_id and pm.enabled
       where tm.module_id <> ${moduleId})
    )::text as facts`,
  );
  const [moduleEnabled, tariffs, values, settings, otherServing, otherModules] = JSON.parse(
    rows[0]!.facts,
  ) as [
    boolean | null,
    [number, string, number | null, number | null][],
    [number, string, boolean, boolean, boolean, boolean, number | null, number | null, boolean][],
    ImpactFacts['settings'],
    ImpactFacts['otherServing'],
    ImpactFacts['otherModules'],
  ];
  return {
    moduleEnabled: moduleEnabled === true,
    tariffs: tariffs.map(([id, name, diskMib, ramMib]) => ({ id, name, diskMib, ramMib })),
    values: values.map(
      ([
        id,
        internalName,
        retired,
        disabled,
        deprecated,
        awaitingReview,
        minDiskMib,
        minRamMib,
        servingHere,
      ]) => ({
        id,
        internalName,
        retired,
        disabled,
        deprecated,
        awaitingReview,
        minDiskMib,
        minRamMib,
        servingHere,
      }),
    ),
    settings,
    otherServing,
    otherModules,
  };
}
