import { setTimeout as sleepFor } from 'node:timers/promises';

/** Retries of 5xx answers (other than 503) and network failures. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

/**
 * Retries of 503, which a suspended (idle) VMmanager answers until it has woken up: ISPsystem's
 * docs retry 10 times, other public clients wait 3–15 s. `maxWaitMs` bounds the waiting on one
 * suspension for the whole conversation of a client (the calls of a run share it).
 */
export interface SuspensionPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxWaitMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 3, baseDelayMs: 250 };

/** 12 attempts; at least 14 s of waiting over the first 10, at most 28.5 s over all 12, never over 30 s. */
export const defaultSuspensionPolicy: SuspensionPolicy = {
  attempts: 12,
  baseDelayMs: 400,
  maxDelayMs: 2500,
  maxWaitMs: 30_000,
};

/** Time as the retries see it; tests pass a fake one so that long suspensions take no real time. */
export interface RetryTimers {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const realTimers: RetryTimers = { now: () => Date.now(), sleep: (ms) => sleepFor(ms) };

const maxDelayMs = 10_000;

/** Backoff with jitter for other failures: base·2^(n-1), scaled by a random factor in [0.5, 1). */
export function computeRetryDelay(attempt: number, baseDelayMs: number, random = Math.random()): number {
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.5 + random / 2));
}

/** Backoff with jitter after the n-th 503: base·2^(n-1) capped at maxDelayMs, scaled by [0.75, 1.25). */
export function suspensionDelay(attempt: number, policy: SuspensionPolicy, random = Math.random()): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.75 + random / 2));
}
