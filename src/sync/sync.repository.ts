import { sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { osParameterName } from '../catalog/catalog.schema.js';
import type {
  CatalogConnection,
  CatalogValue,
  ConnectionPlacement,
  FieldChanges,
  SyncPlan,
} from './sync.plan.js';

// Every function here is one statement whatever the number of templates or tariffs: rows travel
// as one JSON document and are expanded with jsonb_to_recordset.
const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`;
const ts = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/** What the plan reads: every value of the OS parameter and the module's stored connections. */
export interface PlanState {
  values: CatalogValue[];
  connections: CatalogConnection[];
  /** The catalog revision this state belongs to (read in the same statement, so the same snapshot). */
  catalogRevision: number;
}

/**
 * The plan's input in one statement. Rows come back as one JSON text of arrays: on PGlite,
 * materialising thousands of result rows costs several times more than one JSON.parse.
 */
export async function selectPlanState(db: DbOrTx, parameterId: number, moduleId: number): Promise<PlanState> {
  const rows = await queryRows<{ state: string }>(
    db,
    sql`
    select json_build_array(
      (select coalesce(json_agg(json_build_array(
                id, internal_name, display_name, display_name_by_admin, min_disk_mib, sort,
                min_ram_mib, os_group)), '[]')
       from parameter_values where parameter_id = ${parameterId}),
      (select coalesce(json_agg(json_build_array(value_id, connected, upstream_id, available,
                unavailable_reason, cluster_ids, virtualization)), '[]')
       from module_templates where module_id = ${moduleId}),
      (select revision from catalog_revision where id = 1)
    )::text as state`,
  );
  const [values, connections, catalogRevision] = JSON.parse(rows[0]!.state) as [
    ValueTuple[],
    ConnectionTuple[],
    number,
  ];
  return {
    values: values.map(
      ([id, internalName, displayName, displayNameByAdmin, minDiskMib, sort, minRamMib, osGroup]) => ({
        id,
        internalName,
        displayName,
        displayNameByAdmin,
        minDiskMib,
        minRamMib,
        osGroup,
        sort,
      }),
    ),
    connections: connections.map(
      ([valueId, connected, upstreamId, available, unavailableReason, clusterIds, virtualization]) => ({
        valueId,
        connected,
        upstreamId,
        available,
        unavailableReason,
        clusterIds,
        virtualization,
      }),
    ),
    catalogRevision: Number(catalogRevision),
  };
}

type ValueTuple = [number, string, string, boolean, number | null, number, number | null, string | null];
type ConnectionTuple = [
  number,
  boolean,
  number | null,
  boolean,
  string | null,
  number[] | null,
  string | null,
];

/** What a run compares before planning: the module's last "nothing to do" mark. */
export interface LockedModule {
  syncUpstreamHash: string | null;
  syncCatalogRevision: number | null;
}

/**
 * Locks the module row for the rest of the transaction (one sync of a module applies at a time)
 * and returns its last "nothing to do" mark; undefined when the module is gone.
 */
export async function lockModuleRow(tx: Tx, moduleId: number): Promise<LockedModule | undefined> {
  const rows = await queryRows<{ sync_upstream_hash: string | null; sync_catalog_revision: string | null }>(
    tx,
    sql`select sync_upstream_hash, sync_catalog_revision from processing_modules where id = ${moduleId} for update`,
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    syncUpstreamHash: row.sync_upstream_hash,
    syncCatalogRevision: row.sync_catalog_revision === null ? null : Number(row.sync_catalog_revision),
  };
}

/** The module's OS parameter and the current catalog revision, in one statement. */
export async function selectOsParameterRevision(
  tx: Tx,
  productTypeId: number,
): Promise<{ id: number; catalogRevision: number } | undefined> {
  const rows = await queryRows<{ id: number; revision: string }>(
    tx,
    sql`select p.id, r.revision from parameters p, catalog_revision r
        where p.product_type_id = ${productTypeId} and p.internal_name = ${osParameterName} and r.id = 1`,
  );
  const row = rows[0];
  return row ? { id: row.id, catalogRevision: Number(row.revision) } : undefined;
}

/**
 * Tells the catalog-revision triggers that this transaction bumps the revision itself
 * (`bumpCatalogRevision`, its last catalog write), so that the rows it writes queue no trigger events.
 */
export async function takeOverCatalogRevision(tx: Tx): Promise<void> {
  await tx.execute(sql`select set_config('oscat.catalog_revision', 'caller', true)`);
}

/** Bumps the catalog revision once and returns the new value (waits for a writer committing). */
export async function bumpCatalogRevision(tx: Tx): Promise<number> {
  const rows = await queryRows<{ revision: string }>(
    tx,
    sql`update catalog_revision set revision = revision + 1 where id = 1 returning revision`,
  );
  return Number(rows[0]!.revision);
}

/** Inserts the added values; a value another module's sync inserted meanwhile is kept as it is. */
export async function insertAddedValues(tx: Tx, parameterId: number, plan: SyncPlan, at: Date) {
  if (plan.add.length === 0) return;
  const rows = plan.add.map((a) => ({
    internal_name: a.internalName,
    display_name: a.displayName,
    min_disk_mib: a.minDiskMib,
    min_ram_mib: a.minRamMib,
    os_group: a.osGroup,
    tags: a.tags,
    sort: a.sort,
    awaiting_review: a.awaitingReview,
  }));
  await tx.execute(sql`
    insert into parameter_values
      (parameter_id, internal_name, display_name, min_disk_mib, min_ram_mib, os_group, tags, sort,
       awaiting_review, created_at, updated_at)
    select ${parameterId}, x.internal_name, x.display_name, x.min_disk_mib, x.min_ram_mib, x.os_group, x.tags,
           x.sort, x.awaiting_review, ${ts(at)}, ${ts(at)}
    from jsonb_to_recordset(${json(rows)})
      as x(internal_name text, display_name text, min_disk_mib int, min_ram_mib int, os_group text,
           tags text[], sort int, awaiting_review boolean)
    on conflict (parameter_id, internal_name) do nothing`);
}

/**
 * Writes VMmanager-owned value fields (minimum disk and RAM, OS group, display name). The display
 * name is checked against `display_name_by_admin` at write time, so an admin rename made during
 * the sync wins.
 */
export async function updateSyncOwnedFields(tx: Tx, plan: SyncPlan, at: Date) {
  const rows = [...plan.connect, ...plan.update]
    .filter((c) => c.changes.minDiskMib || c.changes.minRamMib || c.changes.osGroup || c.changes.displayName)
    .map(({ valueId, changes }) => ({
      id: valueId,
      set_disk: changes.minDiskMib !== undefined,
      min_disk_mib: changes.minDiskMib?.to ?? null,
      set_ram: changes.minRamMib !== undefined,
      min_ram_mib: changes.minRamMib?.to ?? null,
      set_group: changes.osGroup !== undefined,
      os_group: changes.osGroup?.to ?? null,
      display_name: changes.displayName?.to ?? null,
    }));
  if (rows.length === 0) return;
  await tx.execute(sql`
    update parameter_values v set
      min_disk_mib = case when x.set_disk then x.min_disk_mib else v.min_disk_mib end,
      min_ram_mib = case when x.set_ram then x.min_ram_mib else v.min_ram_mib end,
      os_group = case when x.set_group then x.os_group else v.os_group end,
      display_name = case when x.display_name is not null and not v.display_name_by_admin
                          then x.display_name else v.display_name end,
      updated_at = ${ts(at)}
    from jsonb_to_recordset(${json(rows)}) as x(id int, set_disk boolean, min_disk_mib int, set_ram boolean,
      min_ram_mib int, set_group boolean, os_group text, display_name text)
    where v.id = x.id`);
}

/**
 * Connects added and returning values and writes where the module's installation builds them
 * (upstream id, clusters, kvm | lxd; available again), by internal name.
 */
export async function upsertConnections(
  tx: Tx,
  moduleId: number,
  parameterId: number,
  plan: SyncPlan,
  at: Date,
) {
  const connectionChanged = (c: FieldChanges) =>
    c.upstreamId || c.clusterIds || c.virtualization || c.available;
  const rows = [
    ...plan.add.map((a) => ({ internal_name: a.internalName, ...placementRow(a) })),
    ...plan.connect.map((c) => ({ internal_name: c.internalName, ...placementRow(c.placement) })),
    ...plan.update
      .filter((u) => connectionChanged(u.changes))
      .map((u) => ({ internal_name: u.internalName, ...placementRow(u.placement) })),
  ];
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into module_templates (module_id, value_id, connected, upstream_id, cluster_ids, virtualization,
      available, unavailable_reason, last_seen_at, updated_at)
    select ${moduleId}, v.id, true, x.upstream_id, x.cluster_ids, x.virtualization, true, null,
           ${ts(at)}, ${ts(at)}
    from jsonb_to_recordset(${json(rows)}) as x(internal_name text, upstream_id int, cluster_ids int[],
      virtualization text)
    join parameter_values v on v.parameter_id = ${parameterId} and v.internal_name = x.internal_name
    on conflict (module_id, value_id) do update set
      connected = true, upstream_id = excluded.upstream_id, cluster_ids = excluded.cluster_ids,
      virtualization = excluded.virtualization, available = true, unavailable_reason = null,
      last_seen_at = excluded.last_seen_at, updated_at = excluded.updated_at`);
}

const placementRow = (p: ConnectionPlacement) => ({
  upstream_id: p.upstreamId,
  cluster_ids: p.clusterIds,
  virtualization: p.virtualization,
});

/**
 * Marks connections of templates VMmanager lists but that cannot be ordered now: they stay
 * connected (no disconnect, no churn) and are not offered until VMmanager lists them usable again.
 */
export async function markUnavailable(tx: Tx, moduleId: number, plan: SyncPlan, at: Date) {
  const rows = plan.unavailable
    .filter((u) => u.changed && u.valueId !== null)
    .map((u) => ({ value_id: u.valueId, reason: u.reason }));
  if (rows.length === 0) return;
  await tx.execute(sql`
    update module_templates mt set available = false, unavailable_reason = x.reason,
      last_seen_at = ${ts(at)}, updated_at = ${ts(at)}
    from jsonb_to_recordset(${json(rows)}) as x(value_id int, reason text)
    where mt.module_id = ${moduleId} and mt.value_id = x.value_id and mt.connected`);
}

/** Disconnects values gone upstream; the rows stay (with their upstream id, for rename detection). */
export async function disconnectValues(tx: Tx, moduleId: number, plan: SyncPlan, at: Date) {
  if (plan.disconnect.length === 0) return;
  const ids = plan.disconnect.map((d) => d.valueId);
  await tx.execute(sql`
    update module_templates set connected = false, updated_at = ${ts(at)}
    where module_id = ${moduleId} and connected
      and value_id in (select x::int from jsonb_array_elements_text(${json(ids)}) as t(x))`);
}
