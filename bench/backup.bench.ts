// `npm run bench:backup`: dump size and time for a catalog of a few thousand templates with a
// year of sync history, and the time to restore it, on PGlite and (when it answers) PostgreSQL.
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'drizzle-orm';
import { openLocalOutput } from '../src/cli/cli-io.js';
import { writeBackup } from '../src/backup/backup.service.js';
import { restoreBackup } from '../src/backup/restore.service.js';
import type { Database, Engine } from '../src/db/database.js';
import { createSecretBox } from '../src/shared/secrets.js';
import { findPostgres, openBenchDatabase } from './sync-bench.engines.js';

const templates = Number(process.env.BENCH_TEMPLATES ?? 3000);
const runs = Number(process.env.BENCH_RUNS ?? 2000);
const secrets = createSecretBox(randomBytes(32));

/** 3 modules, `templates` templates on each, 10 tariffs with decisions, `runs` sync runs, audit. */
async function seed(database: Database): Promise<void> {
  const { db } = database;
  const run = (text: string) => db.execute(sql.raw(text));
  const password = secrets.encrypt('a password');
  await run(`insert into processing_modules (product_type_id, name, url, admin_email, password_encrypted)
    select 1, 'module ' || m, 'https://vm' || m || '.example.com', 'admin@example.com', '${password}' from generate_series(1, 3) m`);
  await run(`insert into parameter_values (parameter_id, display_name, internal_name, tags, sort, min_disk_mib)
    select 1, 'Linux ' || i, 'ISPsystem__Linux ' || i, '{linux,"x86 64"}', i * 10, 10240 from generate_series(1, ${templates}) i`);
  await run(`insert into module_templates (module_id, value_id, upstream_id, last_seen_at)
    select m, v.id, v.id, now() from parameter_values v, generate_series(1, 3) m`);
  await run(
    `insert into tariffs (product_type_id, name, disk_mib) select 1, 'VPS-' || t, 20480 * t from generate_series(1, 10) t`,
  );
  await run(`insert into tariff_modules select t.id, 1 + t.id % 3 from tariffs t`);
  await run(`insert into tariff_template_settings (tariff_id, value_id, enabled, decided_by)
    select t.id, v.id, v.id % 2 = 0, 'admin:ops@example.com' from tariffs t, parameter_values v where v.id % 50 = t.id`);
  // One first sync per module with the whole list in its diff, the rest small no-change runs.
  const firstDiff = JSON.stringify({
    add: Array.from({ length: templates }, (_, i) => ({
      internalName: `ISPsystem__Linux ${i + 1}`,
      minDiskMib: 10240,
    })),
  });
  await run(`insert into sync_runs (module_id, trigger, outcome, counts, diff, finished_at)
    select m, 'initial', 'applied', '{"added": ${templates}}', '${firstDiff}', now() from generate_series(1, 3) m`);
  await run(`insert into sync_runs (module_id, trigger, outcome, counts, diff, finished_at)
    select 1 + r % 3, 'schedule', 'no_change', '{"added": 0}', '{"shortcut": true}', now() from generate_series(1, ${runs}) r`);
  await run(`insert into audit_log (actor, action, object_type, object_id, before, after)
    select 'admin:ops@example.com', 'template.edit', 'template', i::text, '{"sort": 1}', '{"sort": 2}' from generate_series(1, 5000) i`);
}

async function* linesOf(file: string): AsyncGenerator<string> {
  yield* createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
}

async function measure(engine: Engine, serverUrl: string | undefined, dir: string): Promise<void> {
  const source = await openBenchDatabase(engine, serverUrl);
  const target = await openBenchDatabase(engine, serverUrl);
  try {
    await seed(source.database);
    const file = join(dir, `${engine}.sql`);
    const output = await openLocalOutput(file);
    let started = performance.now();
    await writeBackup(source.database, output);
    await output.close();
    const backupMs = performance.now() - started;
    const bytes = statSync(file).size;
    started = performance.now();
    await restoreBackup(
      { name: file, lines: linesOf(file) },
      {
        opened: {
          database: target.database,
          lock: undefined,
          migrate: async () => undefined,
          close: async () => undefined,
        },
        secrets,
      },
    );
    const restoreMs = performance.now() - started;
    console.log(
      `${engine.padEnd(8)} backup ${(backupMs / 1000).toFixed(2)} s, ${(bytes / 1_048_576).toFixed(1)} MB; restore ${(restoreMs / 1000).toFixed(2)} s`,
    );
  } finally {
    await source.dispose();
    await target.dispose();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'oscat-bench-backup-'));
try {
  console.log(
    `catalog: ${templates} templates × 3 modules, 10 tariffs, ${runs + 3} sync runs, 5000 audit rows`,
  );
  await measure('pglite', undefined, dir);
  const postgres = await findPostgres();
  if (postgres.url) await measure('postgres', postgres.url, dir);
  else console.log(postgres.note);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
