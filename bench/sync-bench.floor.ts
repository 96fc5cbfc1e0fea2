import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/database.js';
import { queryRows } from '../src/db/query.js';
import { createVmmanagerClient } from '../src/vmmanager6/vmmanager6.client.js';
import type { UpstreamTemplate } from '../src/sync/sync.plan.js';
import type { OsList } from '../src/vmmanager6/vmmanager6.os-list.js';
import type { VmmanagerSimulator } from '../src/vmmanager6/simulator/simulator.js';

/**
 * fetch: the bare GET + JSON.parse; +insert: one bulk insert into an empty table; +upsert: over
 * existing rows; +schema-insert / +schema-upsert: the same rows into copies of the catalog's two
 * tables (values, then connections), with their keys, indexes and foreign keys.
 */
export type FloorKind =
  'fetch' | 'fetch+insert' | 'fetch+upsert' | 'fetch+schema-insert' | 'fetch+schema-upsert';

/** The rows the floors write: the sync's own view of the upstream templates. */
export type FloorRow = UpstreamTemplate;

export interface Floor {
  db: Db;
  moduleId: number;
  parameterId: number;
  /** The parsed template list (for building the rows; not timed). */
  fetchTemplates(): Promise<OsList>;
  /** The bare fetch: one GET of the list with a ready token, and JSON.parse. */
  fetchRaw(): Promise<unknown>;
}

/** Logs in once and creates the scratch tables the floors write to. */
export async function prepareFloor(
  db: Db,
  sim: VmmanagerSimulator,
  ids: { moduleId: number; parameterId: number },
): Promise<Floor> {
  const login = await fetch(`${sim.url}/auth/v4/public/token`, {
    method: 'POST',
    body: JSON.stringify({ email: sim.email, password: sim.password }),
  });
  const { token } = (await login.json()) as { token: string };
  await queryRows(
    db,
    sql`create table if not exists bench_floor (internal_name text primary key, display_name text not null,
          min_disk_mib integer, upstream_id integer, tags jsonb not null)`,
  );
  await queryRows(
    db,
    sql`create table if not exists bench_values (like parameter_values including all,
          foreign key (parameter_id) references parameters (id))`,
  );
  await queryRows(
    db,
    sql`create table if not exists bench_connections (like module_templates including all,
          foreign key (module_id) references processing_modules (id),
          foreign key (value_id) references bench_values (id))`,
  );
  const client = createVmmanagerClient({ url: sim.url, email: sim.email, password: sim.password });
  return {
    db,
    ...ids,
    fetchTemplates: () => client.listOsList(),
    async fetchRaw() {
      const res = await fetch(`${sim.url}/vm/v3/os`, {
        headers: { 'x-xsrf-token': token, cookie: `ses6=${token}` },
      });
      return JSON.parse(await res.text()) as unknown;
    },
  };
}

// Rows arrive de-duplicated by internal name (measureFloor).
async function upsert(db: Db, rows: FloorRow[]): Promise<void> {
  const json = JSON.stringify(
    rows.map((r) => ({
      internal_name: r.internalName,
      display_name: r.displayName,
      min_disk_mib: r.minDiskMib,
      upstream_id: r.upstreamId,
      tags: r.tags,
    })),
  );
  await queryRows(
    db,
    sql`insert into bench_floor (internal_name, display_name, min_disk_mib, upstream_id, tags)
        select internal_name, display_name, min_disk_mib, upstream_id, tags
          from jsonb_to_recordset(${json}::jsonb)
            as r(internal_name text, display_name text, min_disk_mib integer, upstream_id integer, tags jsonb)
        on conflict (internal_name) do update set display_name = excluded.display_name,
          min_disk_mib = excluded.min_disk_mib, upstream_id = excluded.upstream_id, tags = excluded.tags`,
  );
}

// What the sync's apply writes for these rows, into the schema copies: two statements.
async function upsertIntoSchema(floor: Floor, rows: FloorRow[]): Promise<void> {
  const json = JSON.stringify(
    rows.map((r, i) => ({
      internal_name: r.internalName,
      display_name: r.displayName,
      min_disk_mib: r.minDiskMib,
      min_ram_mib: r.minRamMib,
      os_group: r.osGroup,
      upstream_id: r.upstreamId,
      cluster_ids: r.clusterIds,
      virtualization: r.virtualization,
      tags: r.tags,
      sort: 10 * (i + 1),
    })),
  );
  await queryRows(
    floor.db,
    sql`insert into bench_values (parameter_id, internal_name, display_name, min_disk_mib, min_ram_mib, os_group,
          tags, sort)
        select ${floor.parameterId}, internal_name, display_name, min_disk_mib, min_ram_mib, os_group, tags, sort
          from jsonb_to_recordset(${json}::jsonb)
            as r(internal_name text, display_name text, min_disk_mib integer, min_ram_mib integer, os_group text,
                 tags text[], sort integer)
        on conflict (parameter_id, internal_name) do update set min_disk_mib = excluded.min_disk_mib,
          min_ram_mib = excluded.min_ram_mib, os_group = excluded.os_group`,
  );
  await queryRows(
    floor.db,
    sql`insert into bench_connections (module_id, value_id, connected, upstream_id, cluster_ids, virtualization)
        select ${floor.moduleId}, v.id, true, r.upstream_id, r.cluster_ids, r.virtualization
          from jsonb_to_recordset(${json}::jsonb)
            as r(internal_name text, upstream_id integer, cluster_ids integer[], virtualization text)
          join bench_values v on v.parameter_id = ${floor.parameterId} and v.internal_name = r.internal_name
        on conflict (module_id, value_id) do update set upstream_id = excluded.upstream_id,
          cluster_ids = excluded.cluster_ids, virtualization = excluded.virtualization`,
  );
}

/** With --expose-gc, every timed piece (sync and floor) starts without the garbage of the last one. */
export const collectGarbage = (): void => (globalThis as { gc?: () => void }).gc?.();

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The floor of one case, in ms: the median of `times` measurements (three by default). */
export async function measureFloor(
  floor: Floor,
  kind: FloorKind,
  rows: FloorRow[],
  times = 3,
): Promise<number> {
  const measured: number[] = [];
  const unique = [...new Map(rows.map((r) => [r.internalName, r])).values()];
  const write = kind.includes('schema') ? upsertIntoSchema : (f: Floor, r: FloorRow[]) => upsert(f.db, r);
  for (let i = 0; i < times; i += 1) {
    if (kind === 'fetch+insert') await queryRows(floor.db, sql`truncate bench_floor`);
    if (kind === 'fetch+schema-insert')
      await queryRows(floor.db, sql`truncate bench_connections, bench_values`);
    if (kind.endsWith('upsert')) await write(floor, unique);
    collectGarbage();
    const start = performance.now();
    await floor.fetchRaw();
    if (kind !== 'fetch') await write(floor, unique);
    measured.push(performance.now() - start);
  }
  return median(measured);
}
