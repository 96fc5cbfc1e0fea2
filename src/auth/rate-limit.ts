import type { Clock } from '../shared/clock.js';

/** Counts failures per key in a fixed window; a key over its limit is blocked until the window ends. */
export interface FailureLimiter {
  /** Seconds until the key may try again, or 0 when it may try now. */
  blockedFor(key: string): number;
  recordFailure(key: string): void;
  reset(key: string): void;
}

export function createFailureLimiter(options: {
  clock: Clock;
  limit: number;
  windowMs: number;
  maxKeys?: number;
}): FailureLimiter {
  const windows = new Map<string, { startedAt: number; failures: number }>();
  const maxKeys = options.maxKeys ?? 100_000;
  const current = (key: string) => {
    const entry = windows.get(key);
    if (entry && options.clock.now().getTime() - entry.startedAt >= options.windowMs) {
      windows.delete(key);
      return undefined;
    }
    return entry;
  };
  const prune = () => {
    for (const key of windows.keys()) current(key);
    // Still full of live keys: drop the oldest (insertion order) rather than grow without bound.
    for (const key of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(key);
    }
  };
  return {
    blockedFor(key) {
      const entry = current(key);
      if (!entry || entry.failures < options.limit) return 0;
      const left = entry.startedAt + options.windowMs - options.clock.now().getTime();
      return Math.max(1, Math.ceil(left / 1000));
    },
    recordFailure(key) {
      const entry = current(key);
      if (entry) entry.failures += 1;
      else {
        if (windows.size >= maxKeys) prune();
        windows.set(key, { startedAt: options.clock.now().getTime(), failures: 1 });
      }
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
