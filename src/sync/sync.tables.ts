import {
  bigint,
  bigserial,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { processingModules } from '../modules/modules.tables.js';

/** One row per sync run of one module: trigger, outcome, counts, diff, error. */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    moduleId: integer('module_id')
      .notNull()
      .references(() => processingModules.id),
    trigger: text('trigger').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    // running | applied | no_change | held | failed | dry_run
    outcome: text('outcome').notNull().default('running'),
    counts: jsonb('counts'),
    // json, not jsonb: a first sync's diff is over a megabyte, and json stores the text as given
    // (half the write time on PGlite); nothing queries inside it.
    diff: json('diff'),
    guardReason: text('guard_reason'),
    guardMessage: text('guard_message'),
    // For held runs: pending | applied | discarded.
    heldState: text('held_state'),
    heldResolvedAt: timestamp('held_resolved_at', { withTimezone: true }),
    heldResolvedBy: text('held_resolved_by'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    actor: text('actor'),
    // The parsed upstream set of a held run: applying it later re-plans against this set.
    upstream: jsonb('upstream'),
    // The scheduled slot a run belongs to (scheduler runs only).
    slot: timestamp('slot', { withTimezone: true }),
    // Set on the run that applied a held run.
    appliedFromRunId: bigint('applied_from_run_id', { mode: 'number' }),
    // Repeated no-change runs fold into one row (`sync.fold.ts`): how many runs it stands for,
    // and when the last of them finished (null while it stands for one).
    runCount: integer('run_count').notNull().default(1),
    lastFinishedAt: timestamp('last_finished_at', { withTimezone: true }),
  },
  (t) => [index('sync_runs_module_idx').on(t.moduleId, t.id)],
);

/** Claim of one scheduled slot of one module: the primary key makes a slot run once. */
export const syncSlots = pgTable(
  'sync_slots',
  {
    moduleId: integer('module_id')
      .notNull()
      .references(() => processingModules.id),
    slot: timestamp('slot', { withTimezone: true }).notNull(),
    claimedBy: text('claimed_by').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.moduleId, t.slot] })],
);
