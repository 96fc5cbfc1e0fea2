import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.js';
import { queryRows } from '../db/query.js';

/**
 * Deletes webhook deliveries that are done (delivered or failed) and were queued before `before`,
 * then the events older than that with no delivery left, in batches; returns how many of each.
 * A pending delivery (still being retried) and its event stay, whatever their age.
 */
export async function pruneOutbox(
  db: DbOrTx,
  options: { before: Date; batch: number },
): Promise<{ deliveries: number; events: number }> {
  const before = options.before.toISOString();
  const deliveries = await deleteInBatches(
    db,
    options.batch,
    (batch) => sql`with doomed as (
          select id from webhook_deliveries
          where state in ('delivered', 'failed') and created_at < ${before}::timestamptz
          limit ${batch}
        ), deleted as (delete from webhook_deliveries where id in (select id from doomed) returning 1)
        select count(*)::int as n from deleted`,
  );
  const events = await deleteInBatches(
    db,
    options.batch,
    (batch) => sql`with doomed as (
          select e.id from webhook_events e
          where e.created_at < ${before}::timestamptz
            and not exists (select 1 from webhook_deliveries d where d.event_id = e.id)
          limit ${batch}
        ), deleted as (delete from webhook_events where id in (select id from doomed) returning 1)
        select count(*)::int as n from deleted`,
  );
  return { deliveries, events };
}

async function deleteInBatches(
  db: DbOrTx,
  batch: number,
  statement: (batch: number) => ReturnType<typeof sql>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await queryRows<{ n: number }>(db, statement(batch));
    const n = rows[0]?.n ?? 0;
    total += n;
    if (n < batch) return total;
  }
}
