import { eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { parameterValues } from '../catalog/catalog.tables.js';
import type { StoredRenameCandidate } from './sync.schema.js';

interface CandidateRow {
  moduleId: number;
  reason: 'case_change' | 'same_upstream_id';
  fromId: number;
  fromInternalName: string;
  fromDisplayName: string;
  fromUpstreamId: number | null;
  toId: number;
  toInternalName: string;
  toDisplayName: string;
  toUpstreamId: number | null;
}

/**
 * Rename candidates as the catalog shows them now: on one module, a value that is disconnected
 * and not retired, and a connected value with the same upstream id or the same internal name
 * ignoring case. They disappear once the old value is remapped (retired).
 */
export async function selectRenameCandidates(
  db: DbOrTx,
  moduleId?: number,
): Promise<StoredRenameCandidate[]> {
  const rows = await queryRows<CandidateRow>(
    db,
    sql`
    with old as (
      select mt.module_id, mt.upstream_id, v.id, v.internal_name, v.display_name
      from module_templates mt join parameter_values v on v.id = mt.value_id and v.retired_at is null
      where not mt.connected and (${moduleId ?? null}::int is null or mt.module_id = ${moduleId ?? null}::int)
    ),
    cur as (
      select mt.module_id, mt.upstream_id, v.id, v.internal_name, v.display_name
      from module_templates mt join parameter_values v on v.id = mt.value_id and v.retired_at is null
      where mt.connected and (${moduleId ?? null}::int is null or mt.module_id = ${moduleId ?? null}::int)
    ),
    pairs as (
      select o.module_id, o.id as from_id, c.id as to_id from old o
      join cur c on c.module_id = o.module_id and lower(c.internal_name) = lower(o.internal_name)
      union
      select o.module_id, o.id, c.id from old o
      join cur c on c.module_id = o.module_id and c.upstream_id = o.upstream_id
    )
    select p.module_id as "moduleId",
      case when lower(o.internal_name) = lower(c.internal_name) then 'case_change' else 'same_upstream_id' end
        as reason,
      o.id as "fromId", o.internal_name as "fromInternalName", o.display_name as "fromDisplayName",
      o.upstream_id as "fromUpstreamId",
      c.id as "toId", c.internal_name as "toInternalName", c.display_name as "toDisplayName",
      c.upstream_id as "toUpstreamId"
    from pairs p
    join old o on o.module_id = p.module_id and o.id = p.from_id
    join cur c on c.module_id = p.module_id and c.id = p.to_id
    where o.id <> c.id
    order by p.module_id, o.internal_name, c.internal_name`,
  );
  return rows.map((r) => ({
    moduleId: r.moduleId,
    reason: r.reason,
    from: {
      valueId: r.fromId,
      internalName: r.fromInternalName,
      displayName: r.fromDisplayName,
      upstreamId: r.fromUpstreamId,
    },
    to: {
      valueId: r.toId,
      internalName: r.toInternalName,
      displayName: r.toDisplayName,
      upstreamId: r.toUpstreamId,
    },
  }));
}

/** Value ids by internal name (over every OS parameter), for remaps named by internal name. */
export async function selectValueIdsByInternalName(db: DbOrTx, internalName: string): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`select id from parameter_values where internal_name = ${internalName} order by id`,
  );
  return rows.map((r) => r.id);
}

/** Copies the old value's explicit tariff decisions to the new one; the new one's own decisions win. */
export async function copyTariffDecisions(tx: Tx, fromId: number, toId: number): Promise<number> {
  const rows = await queryRows<{ tariffId: number }>(
    tx,
    sql`
    insert into tariff_template_settings (tariff_id, value_id, enabled, decided_by, decided_at)
    select tariff_id, ${toId}, enabled, decided_by, decided_at
    from tariff_template_settings where value_id = ${fromId}
    on conflict (tariff_id, value_id) do nothing
    returning tariff_id as "tariffId"`,
  );
  return rows.length;
}

/** Disconnects a value from every module (a retired value is served by none). */
export async function disconnectEverywhere(tx: Tx, valueId: number, at: Date): Promise<void> {
  await tx.execute(sql`
    update module_templates set connected = false, updated_at = ${at.toISOString()}::timestamptz
    where value_id = ${valueId} and connected`);
}

/** Writes the fields a remap moves (and `retired_at`) on one value. */
export async function patchValueForRemap(
  tx: Tx,
  id: number,
  patch: Partial<
    Pick<
      typeof parameterValues.$inferInsert,
      | 'sort'
      | 'tags'
      | 'disabled'
      | 'disabledAt'
      | 'disabledBy'
      | 'displayName'
      | 'displayNameByAdmin'
      | 'awaitingReview'
      | 'retiredAt'
    >
  >,
  at: Date,
): Promise<void> {
  await tx
    .update(parameterValues)
    .set({ ...patch, updatedAt: at })
    .where(eq(parameterValues.id, id));
}
