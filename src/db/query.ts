import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from './database.js';

/**
 * Runs a raw `sql` statement and returns its rows on either engine. Cast counts to int in SQL:
 * bigint comes back as a string from node-postgres.
 */
export async function queryRows<T>(db: DbOrTx, statement: SQL): Promise<T[]> {
  const result: unknown = await db.execute(statement);
  return (result as { rows: T[] }).rows;
}
