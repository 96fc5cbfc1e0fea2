import { AppError } from '../../shared/errors.js';
import { errorAnswer, type SimAnswer } from './sim-api.js';

/** The body a suspended installation answers with: VMmanager's error JSON, or plain text. */
export type SuspensionBody = 'json' | 'text';

/**
 * A timed suspension: every API path (login included) answers 503 until it ends, the way an idle
 * VMmanager answers while it wakes up (ISPsystem's API guide; DCImanager's Swagger page shows the
 * plain-text "Unavailable" body).
 */
export interface SimSuspension {
  suspend(ms: number, body?: SuspensionBody): void;
  resume(): void;
  status(): { suspended: boolean; remainingMs: number; body: SuspensionBody };
  /** The 503 to answer now, or null when not suspended. */
  answer(): SimAnswer | null;
}

export function createSuspension(now: () => number): SimSuspension {
  let until = 0;
  let body: SuspensionBody = 'json';
  const remaining = () => Math.max(0, until - now());
  return {
    suspend(ms, kind = 'json') {
      until = now() + ms;
      body = kind;
    },
    resume() {
      until = 0;
    },
    status: () => ({ suspended: remaining() > 0, remainingMs: remaining(), body }),
    answer() {
      if (remaining() === 0) return null;
      return body === 'text'
        ? { status: 503, body: 'Unavailable' }
        : errorAnswer(503, 503, 'Service suspended');
    },
  };
}

/** Checks `POST /_sim/suspend` `{ms | seconds, body?}`. */
export function checkSuspendRequest(value: unknown): { ms: number; body: SuspensionBody } {
  const input = (value ?? {}) as { ms?: unknown; seconds?: unknown; body?: unknown };
  const ms = typeof input.seconds === 'number' ? input.seconds * 1000 : input.ms;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0)
    throw new AppError('invalid_input', 'suspend takes ms or seconds, a positive number', {});
  if (input.body !== undefined && input.body !== 'json' && input.body !== 'text')
    throw new AppError('invalid_input', 'suspend body must be json or text', {});
  return { ms, body: input.body ?? 'json' };
}
