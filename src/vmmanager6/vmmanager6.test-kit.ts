import type { RetryTimers, SuspensionPolicy } from './vmmanager6.retry.js';

/** A 503 budget of a few milliseconds, so that tests of lasting 503s stay fast. */
export const fastSuspension: SuspensionPolicy = {
  attempts: 3,
  baseDelayMs: 5,
  maxDelayMs: 10,
  maxWaitMs: 200,
};

/**
 * A fake clock whose `sleep` returns at once after moving time on: give it to the client (its
 * `timers`) and to the simulator (`now`), and a suspension of minutes takes no real time.
 */
export function fakeTimers(start = 1_000_000): RetryTimers & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
      await Promise.resolve();
    },
  };
}
