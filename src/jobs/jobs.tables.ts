import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Claim of one slot of an app-wide job (not per module): the primary key makes a slot run once. */
export const jobSlots = pgTable(
  'job_slots',
  {
    job: text('job').notNull(),
    slot: timestamp('slot', { withTimezone: true }).notNull(),
    claimedBy: text('claimed_by').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.job, t.slot] })],
);
