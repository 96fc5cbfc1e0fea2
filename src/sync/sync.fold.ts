import { isDeepStrictEqual } from 'node:util';
import type { SyncCounts, SyncPlan } from './sync.plan.js';
import type { SyncOutcome } from './sync.schema.js';

/** What a run records besides its id, times and slot: the part two repeated runs share. */
export interface RecordedRun {
  outcome: SyncOutcome;
  trigger: string;
  actor: string | null;
  counts: SyncCounts | Record<string, unknown> | null;
  diff: SyncPlan | null;
  errorCode: string | null;
  heldState: string | null;
  appliedFromRunId: number | null;
}

/**
 * Whether `next` folds into `previous`, the module's newest recorded run, instead of being
 * recorded as a run of its own (the previous row's run count goes up and its last finish moves).
 *
 * Only `no_change` runs fold, and only into a `no_change` run that recorded exactly the same:
 * - `applied` changed the catalog: each is history with its diff, and webhook events name it.
 * - `held` waits for an admin, who applies or discards it by its run id; `module.sync_held` and
 *   the alert carry that id. A held run folds, but into the module's pending held run, not the
 *   newest run (`isHeldAgain`).
 * - `failed` carries its error, is named by the `module.sync_failed` event and the alert, and
 *   each one counts towards the backoff (through the module's health, not these rows).
 * - `dry_run` is a preview an admin asked for and opens by its id.
 * - The same trigger and actor: a manual "Synchronize now" between scheduled runs is kept as the
 *   admin's own entry.
 * - The same counts and the same diff (the unavailable, skipped and duplicate lists): a template
 *   that becomes unavailable or skipped, or stops being so, is something an admin may look for.
 *   How the plan was made does not count: the first no-change run after any change plans in
 *   full, the next ones take the shortcut (`diff.shortcut`, `unchangedPlan`), whose plan is the
 *   full one's but for the catalog ids of unavailable templates, which it does not look up;
 *   counting either would make every such entry two.
 * - Not a run that applied a held plan (its id is recorded in that held run's resolution).
 * Anything newer in between (a failure, a dry run, a change) makes the next no-change run a new
 * row, so the history still reads in order.
 */
export function isRepeatOf(previous: RecordedRun, next: RecordedRun): boolean {
  return (
    next.outcome === 'no_change' &&
    previous.outcome === 'no_change' &&
    next.trigger === previous.trigger &&
    next.actor === previous.actor &&
    next.errorCode === null &&
    previous.errorCode === null &&
    next.heldState === null &&
    previous.heldState === null &&
    next.appliedFromRunId === null &&
    previous.appliedFromRunId === null &&
    foundTheSame(previous, next)
  );
}

/**
 * Whether `next`, a held run, holds the same plan as `pending`, the module's pending held run, and
 * folds into it (its run count goes up, its last finish moves, its id stays) instead of
 * superseding it. The admin's "apply run N" then still names the plan that waits, and a module
 * held on every 30 s slot keeps one row instead of 2,880 a day.
 *
 * The same plan is what `isRepeatOf` calls the same: the same counts and the same diff, which
 * holds the guard's reason and message (`diff.guard`) and every add, update and disconnect the
 * apply would make. Applying the pending run re-plans its stored upstream set against the
 * catalog of then, so a plan equal to its plan applies the same. Trigger and actor do not count:
 * a manual "Synchronize now" that is held on the same plan answers the plan that waits. Anything
 * else (another reason, one more or one fewer template, another change) supersedes it.
 */
export function isHeldAgain(pending: RecordedRun, next: RecordedRun): boolean {
  return (
    next.outcome === 'held' &&
    pending.outcome === 'held' &&
    pending.heldState === 'pending' &&
    next.appliedFromRunId === null &&
    foundTheSame(pending, next)
  );
}

// The same counts and the same diff (but for how the plan was made, see `isRepeatOf`).
const foundTheSame = (previous: RecordedRun, next: RecordedRun): boolean =>
  isDeepStrictEqual(asStored(next.counts), asStored(previous.counts)) &&
  isDeepStrictEqual(asStored(whatWasFound(next.diff)), asStored(whatWasFound(previous.diff)));

// A plan without what depends on how it was made (see above).
const whatWasFound = (plan: SyncPlan | null) => {
  if (!plan) return null;
  const { shortcut: _shortcut, unavailable, ...rest } = plan;
  return { ...rest, unavailable: (unavailable ?? []).map(({ valueId: _valueId, ...item }) => item) };
};

// What the database gives back: JSON without undefined members (key order does not matter).
const asStored = (value: unknown): unknown =>
  value === null || value === undefined ? null : JSON.parse(JSON.stringify(value));
