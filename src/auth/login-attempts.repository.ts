import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { loginAttempts } from './auth.tables.js';

/** What a reservation found: granted (with its window) or refused (with the window's start). */
export type Reservation =
  | { granted: true; windowStartedAt: Date; attemptsBefore: number }
  | { granted: false; windowStartedAt: Date };

/**
 * Counts one attempt on `key` unless it already has `limit` in the current window (which starts
 * anew once `windowMs` has passed). One statement, so concurrent requests on any instance each
 * see the count the others left: a burst cannot get more than `limit` through.
 */
export async function reserveLoginAttempt(
  db: DbOrTx,
  spec: { key: string; limit: number; windowMs: number; now: Date },
): Promise<Reservation> {
  const { key, limit, now } = spec;
  const cutoff = new Date(now.getTime() - spec.windowMs);
  const rows = await queryRows<{ attempts: number; window_started_at: Date | string }>(
    db,
    sql`insert into login_attempts as a (key, window_started_at, attempts)
        values (${key}, ${now}, 1)
        on conflict (key) do update set
          window_started_at = case when a.window_started_at <= ${cutoff} then ${now} else a.window_started_at end,
          attempts = case when a.window_started_at <= ${cutoff} then 1 else a.attempts + 1 end
        where a.window_started_at <= ${cutoff} or a.attempts < ${limit}
        returning a.attempts, a.window_started_at`,
  );
  const row = rows[0];
  if (row) {
    return {
      granted: true,
      windowStartedAt: new Date(row.window_started_at),
      attemptsBefore: row.attempts - 1,
    };
  }
  const held = await db
    .select({ windowStartedAt: loginAttempts.windowStartedAt })
    .from(loginAttempts)
    .where(eq(loginAttempts.key, key));
  return { granted: false, windowStartedAt: held[0]?.windowStartedAt ?? now };
}

/** Gives a counted attempt back (it was not a failure), in the window it was counted in. */
export async function releaseLoginAttempt(db: DbOrTx, key: string, windowStartedAt: Date): Promise<void> {
  await db
    .update(loginAttempts)
    .set({ attempts: sql`${loginAttempts.attempts} - 1` })
    .where(
      and(
        eq(loginAttempts.key, key),
        eq(loginAttempts.windowStartedAt, windowStartedAt),
        gt(loginAttempts.attempts, 0),
      ),
    );
}

export async function deleteLoginAttempts(db: DbOrTx, key: string): Promise<void> {
  await db.delete(loginAttempts).where(eq(loginAttempts.key, key));
}

/** Forgets windows that ended before `before`. */
export async function deleteEndedLoginAttempts(db: DbOrTx, before: Date): Promise<void> {
  await db.delete(loginAttempts).where(lte(loginAttempts.windowStartedAt, before));
}
