// When a module syncs by itself. No imports: the admin UI reads the default from here too.

/**
 * A new module's schedule: every 30 seconds (croner's six-field form, seconds first), so a change
 * in VMmanager reaches the storefront list within a minute. BILLmanager's hourly `54 * * * *`
 * stays a valid choice; modules that exist keep the schedule they have.
 */
export const defaultSyncSchedule = '*/30 * * * * *';

/** Failures in a row before scheduled slots are skipped (one failure may be a blip). */
export const backoffAfterFailures = 2;
/** The wait after the last failure at `backoffAfterFailures` failures; it doubles with each further one. */
export const backoffBaseMs = 60_000;
/** The longest wait between two scheduled attempts of a failing module. */
export const backoffCapMs = 15 * 60_000;

/** What the backoff rule reads: the module's health. */
export interface FailureStreak {
  consecutiveFailures: number;
  lastFailureAt: Date | null;
}

/**
 * Until when a module's scheduled slots are skipped because its VMmanager keeps failing:
 * 1 min after the 2nd failure in a row, then 2, 4, 8 and at most 15 min; null while it has
 * failed less than twice in a row. A success (scheduled or manual) resets the streak, so the
 * module recovers by itself at the first slot after the wait that works.
 */
export function syncBackoffUntil(streak: FailureStreak): Date | null {
  if (streak.consecutiveFailures < backoffAfterFailures || !streak.lastFailureAt) return null;
  const doublings = Math.min(streak.consecutiveFailures - backoffAfterFailures, 30);
  const waitMs = Math.min(backoffCapMs, backoffBaseMs * 2 ** doublings);
  return new Date(streak.lastFailureAt.getTime() + waitMs);
}
