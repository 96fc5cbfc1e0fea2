import { sql } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { queryRows } from './query.js';

/** The `when` stamps of the migrations applied to this database (drizzle's own table). */
export async function selectAppliedMigrationStamps(db: DbOrTx): Promise<number[]> {
  const rows = await queryRows<{ created_at: string }>(
    db,
    sql`select created_at::text as created_at from drizzle.__drizzle_migrations`,
  );
  return rows.map((r) => Number(r.created_at));
}
