import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { drizzle } from 'drizzle-orm/pglite';
import { migratePgliteDb, migrationsFolder, migrationsFolderUpTo } from './migrate.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the migrations folder that stops before migration `tag` (an older release's). */
function migrationsBefore(tag: string): string {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const stop = journal.entries.findIndex((e) => e.tag === tag);
  expect(stop).toBeGreaterThan(0);
  const dir = migrationsFolderUpTo(stop);
  dirs.push(dir);
  return dir;
}

describe('upgrading a database made by an older release', () => {
  it('keeps the recorded runs when diffs become json, and moves the guard sentence to its column', async () => {
    const pglite = new PGlite();
    try {
      await migrate(drizzle({ client: pglite }), {
        migrationsFolder: migrationsBefore('0007_sync_run_diff_json'),
      });
      await pglite.exec(`
        insert into processing_modules (product_type_id, name, url, admin_email, password_encrypted)
          values ((select id from product_types limit 1), 'msk', 'https://vm.example.com', 'a@example.com', 'x');
        insert into sync_runs (module_id, trigger, outcome, diff, guard_reason)
          values (1, 'schedule', 'held', '{"add": [], "guard": {"reason": "empty_upstream", "message": "VMmanager listed no templates"}}', 'empty_upstream'),
                 (1, 'manual', 'failed', null, null);`);

      await migratePgliteDb(pglite);

      const rows = await pglite.query<{ guard_message: string | null; diff: unknown; type: string }>(
        `select guard_message, diff, pg_typeof(diff)::text as type from sync_runs order by id`,
      );
      expect(rows.rows.map((r) => r.guard_message)).toEqual(['VMmanager listed no templates', null]);
      expect(rows.rows[0]!.diff).toEqual({
        add: [],
        guard: { reason: 'empty_upstream', message: 'VMmanager listed no templates' },
      });
      expect(rows.rows[0]!.type).toBe('json');
    } finally {
      await pglite.close();
    }
  });

  it('keeps the schedule of every module that exists; only a new module gets the 30 s default', async () => {
    const pglite = new PGlite();
    try {
      await migrate(drizzle({ client: pglite }), {
        migrationsFolder: migrationsBefore('0015_default_schedule_30s'),
      });
      const insertModule = (name: string) =>
        pglite.exec(`insert into processing_modules (product_type_id, name, url, admin_email, password_encrypted)
          values ((select id from product_types limit 1), '${name}', 'https://vm.example.com', 'a@example.com', 'x')`);
      await insertModule('hourly');
      await pglite.exec(`insert into processing_modules (product_type_id, name, url, admin_email, password_encrypted, schedule)
        values ((select id from product_types limit 1), 'nightly', 'https://vm.example.com', 'a@example.com', 'x', '0 3 * * *')`);

      await migratePgliteDb(pglite);
      await insertModule('new');

      const rows = await pglite.query<{ name: string; schedule: string }>(
        `select name, schedule from processing_modules order by id`,
      );
      expect(rows.rows).toEqual([
        { name: 'hourly', schedule: '54 * * * *' },
        { name: 'nightly', schedule: '0 3 * * *' },
        { name: 'new', schedule: '*/30 * * * * *' },
      ]);
    } finally {
      await pglite.close();
    }
  });
});
