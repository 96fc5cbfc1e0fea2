/** How long history is kept (`OSCAT_RETAIN_*`, see docs/operations.md "Retention"). */
export interface RetentionSettings {
  /** Webhook deliveries that are done, and events whose deliveries are all done. */
  webhookDays: number;
  /** Sync runs that changed nothing (no change, failed, dry run, discarded or superseded held). */
  unchangedRunDays: number;
  /** Sync runs that changed the catalog; null keeps them for ever (the history with its diffs). */
  changedRunDays: number | null;
}

export const defaultRetention: RetentionSettings = {
  webhookDays: 30,
  unchangedRunDays: 90,
  changedRunDays: null,
};
