/** How storefront webhook deliveries are sent and retried. */
export const deliveryPolicy = {
  /** A delivery not answered 2xx within this long after it was queued is marked failed. */
  giveUpAfterMs: 24 * 60 * 60 * 1000,
  /** The first retry's wait; each next one doubles, up to `maxRetryDelayMs`. */
  firstRetryDelayMs: 30 * 1000,
  maxRetryDelayMs: 2 * 60 * 60 * 1000,
  /** One POST: connect, send, answer. */
  timeoutMs: 10 * 1000,
  /** How long a claim holds a delivery: longer than one POST, so only a dead worker's runs out. */
  leaseMs: 60 * 1000,
  /** Deliveries one worker pass claims and sends at once. */
  batchSize: 10,
} as const;

/** When attempt `attempts + 1` is due after `attempts` failures (30 s, 1 min, 2 min, … 2 h). */
export function nextAttemptAt(attempts: number, at: Date): Date {
  const delay = Math.min(
    deliveryPolicy.firstRetryDelayMs * 2 ** Math.max(0, attempts - 1),
    deliveryPolicy.maxRetryDelayMs,
  );
  return new Date(at.getTime() + delay);
}
