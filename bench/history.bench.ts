// `npm run bench:history`: rows and bytes of sync history one unchanged module adds per day on
// the 30 s default schedule (2,880 runs), with repeated no-change runs folded into one row and,
// for comparison, as one row per run (what every run wrote before folding).
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createApp } from '../src/app.js';
import type { Database, Engine } from '../src/db/database.js';
import { queryRows } from '../src/db/query.js';
import { createSecretBox } from '../src/shared/secrets.js';
import { fastClientFactory } from '../src/sync/sync.test-kit.js';
import { startVmmanagerSimulator } from '../src/vmmanager6/simulator/simulator.js';
import { findPostgres, openBenchDatabase } from './sync-bench.engines.js';

const templates = Number(process.env.BENCH_TEMPLATES ?? 500);
const foldedRuns = Number(process.env.BENCH_RUNS ?? 200);
const runsPerDay = 2_880;

const sizeOf = async (database: Database) =>
  (
    await queryRows<{ rows: number; bytes: number }>(
      database.db,
      sql`select (select count(*)::int from sync_runs) as rows,
                 pg_total_relation_size('sync_runs')::float8 as bytes`,
    )
  )[0]!;

async function measure(engine: Engine, serverUrl: string | undefined): Promise<void> {
  const bench = await openBenchDatabase(engine, serverUrl);
  const sim = await startVmmanagerSimulator({ seed: { templates } });
  let now = Date.parse('2026-12-01T00:00:00Z');
  const app = createApp({
    database: bench.database,
    secrets: createSecretBox(randomBytes(32)),
    vmmanagerClientFactory: fastClientFactory,
    clock: { now: () => new Date(now) },
  });
  try {
    const module = await app.modules.createModule(
      { name: 'bench', url: sim.url, adminEmail: sim.email, password: sim.password, clusterId: null },
      'bench',
    );
    await app.sync.runSync(module.id, { trigger: 'initial' });
    const initial = await sizeOf(bench.database);
    for (let i = 0; i < foldedRuns; i += 1) {
      now += 30_000;
      await app.sync.runSync(module.id, { trigger: 'schedule', actor: 'schedule', slot: new Date(now) });
    }
    const folded = await sizeOf(bench.database);
    // A day of the same no-change run as rows of their own: copies of the folded row's record.
    await bench.database.db.execute(
      sql`insert into sync_runs (module_id, trigger, outcome, started_at, finished_at, counts, diff, actor, slot)
          select module_id, trigger, outcome, started_at, finished_at, counts, diff, actor, slot
          from sync_runs, generate_series(1, ${runsPerDay})
          where outcome = 'no_change'`,
    );
    await bench.database.db.execute(sql`vacuum analyze sync_runs`).catch(() => undefined);
    const unfolded = await sizeOf(bench.database);
    const perRow = (unfolded.bytes - folded.bytes) / runsPerDay;
    console.log(
      `${engine}: ${templates} templates; after the initial sync ${initial.rows} row, ${Math.round(initial.bytes / 1024)} KiB; ` +
        `+${foldedRuns} unchanged runs folded: ${folded.rows} rows, ${Math.round(folded.bytes / 1024)} KiB ` +
        `(+${folded.rows - initial.rows} row, +${Math.round((folded.bytes - initial.bytes) / 1024)} KiB); ` +
        `unfolded: ${Math.round(perRow)} B per run, ${((perRow * runsPerDay) / 1024 / 1024).toFixed(2)} MiB and ${runsPerDay} rows per module-day`,
    );
  } finally {
    await app.sync.close();
    await sim.close();
    await bench.dispose();
  }
}

const postgres = await findPostgres();
await measure('pglite', undefined);
if (postgres.url) await measure('postgres', postgres.url);
else console.log(`postgres: ${postgres.note}`);
