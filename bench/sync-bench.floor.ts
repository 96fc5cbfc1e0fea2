import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/database.js';
import { queryRows } from '../src/db/query.js';
import { createVmmanagerClient } from '../src/vmmanager6/vmmanager6.client.js';
import type { VmOsTemplate } from '../src/vmmanager6/vmmanager6.schema.js';
import type { VmmanagerSimulator } from '../src/vmmanager6/simulator/simulator.js';

/** fetch: the bare GET + JSON.parse; +insert: one bulk insert into an empty table; +upsert: over existing rows. */
export type FloorKind = 'fetch' | 'fetch+insert' | 'fetch+upsert';

export interface FloorRow {
  internalName: string;
  displayName: string;
  minDiskMib: number | null;
  upstreamId: number;
  tags: string[];
}

export interface Floor {
  db: Db;
  /** The parsed template list (for building the rows; not timed). */
  fetchTemplates(): Promise<VmOsTemplate[]>;
  /** The bare fetch: one GET of the list with a ready token, and JSON.parse. */
  fetchRaw(): Promise<unknown>;
}

/** Logs in once and creates the scratch table the floor's upsert writes to. */
export async function prepareFloor(db: Db, sim: VmmanagerSimulator): Promise<Floor> {
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
  const client = createVmmanagerClient({ url: sim.url, email: sim.email, password: sim.password });
  return {
    db,
    fetchTemplates: () => client.listOsTemplates(),
    async fetchRaw() {
      const res = await fetch(`${sim.url}/vm/v3/os`, {
        headers: { 'x-xsrf-token': token, cookie: `ses6=${token}` },
      });
      return JSON.parse(await res.text()) as unknown;
    },
  };
}

async function upsert(db: Db, rows: FloorRow[]): Promise<void> {
  const unique = [...new Map(rows.map((r) => [r.internalName, r])).values()];
  const json = JSON.stringify(
    unique.map((r) => ({
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

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The floor of one case, in ms: the median of three measurements. */
export async function measureFloor(floor: Floor, kind: FloorKind, rows: FloorRow[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    if (kind === 'fetch+insert') await queryRows(floor.db, sql`truncate bench_floor`);
    if (kind === 'fetch+upsert') await upsert(floor.db, rows);
    const start = performance.now();
    await floor.fetchRaw();
    if (kind !== 'fetch') await upsert(floor.db, rows);
    times.push(performance.now() - start);
  }
  return median(times);
}
