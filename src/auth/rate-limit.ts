import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import * as attempts from './login-attempts.repository.js';

/** Failed logins allowed per client address and per account in one window (docs/api.md). */
export const loginLimits = {
  windowMs: 15 * 60 * 1000,
  perAddress: 10,
  perAccount: 5,
  /** A locked account still takes one check per this long, from an address with no failures. */
  lockedAccountEveryMs: 30_000,
} as const;

/** A login's counted attempt: it stays counted (a failure) unless the password was right. */
export interface LoginTicket {
  /** The password was right: the attempt is given back and the account's failures forgotten. */
  succeeded(): Promise<void>;
}

const secondsUntil = (windowStartedAt: Date, windowMs: number, now: Date): number =>
  Math.max(1, Math.ceil((windowStartedAt.getTime() + windowMs - now.getTime()) / 1000));

const refuse = (retryAfterSeconds: number) =>
  new AppError('rate_limited', 'too many failed logins; try again later', { retryAfterSeconds });

/**
 * Login rate limiting that holds under a parallel burst and across instances: every attempt is
 * counted in the database *before* the password is checked (reserve), then settled. A locked
 * account is slowed down, not shut: an address with no failures gets one check per 30 s, so an
 * attacker cannot keep the real admin out, and a guesser gains at most one try per 30 s.
 */
export function createLoginLimiter(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const { windowMs } = loginLimits;
  let prunedAt = 0;
  const prune = async (now: Date) => {
    if (now.getTime() - prunedAt < 60_000) return;
    prunedAt = now.getTime();
    await attempts.deleteEndedLoginAttempts(db, new Date(now.getTime() - windowMs));
  };
  return {
    /** Counts a login attempt for `address` and `email`, or throws `rate_limited`. */
    async reserve(address: string, email: string): Promise<LoginTicket> {
      const now = clock.now();
      await prune(now);
      const addressKey = `addr:${address}`;
      const accountKey = `acct:${email.toLowerCase()}`;
      const byAddress = await attempts.reserveLoginAttempt(db, {
        key: addressKey,
        limit: loginLimits.perAddress,
        windowMs,
        now,
      });
      if (!byAddress.granted) throw refuse(secondsUntil(byAddress.windowStartedAt, windowMs, now));
      const giveBackAddress = () => attempts.releaseLoginAttempt(db, addressKey, byAddress.windowStartedAt);
      const byAccount = await attempts.reserveLoginAttempt(db, {
        key: accountKey,
        limit: loginLimits.perAccount,
        windowMs,
        now,
      });
      if (!byAccount.granted) {
        const slow =
          byAddress.attemptsBefore === 0
            ? await attempts.reserveLoginAttempt(db, {
                key: `slow:${email.toLowerCase()}`,
                limit: 1,
                windowMs: loginLimits.lockedAccountEveryMs,
                now,
              })
            : undefined;
        if (!slow?.granted) {
          await giveBackAddress();
          const wait = slow
            ? secondsUntil(slow.windowStartedAt, loginLimits.lockedAccountEveryMs, now)
            : secondsUntil(byAccount.windowStartedAt, windowMs, now);
          throw refuse(wait);
        }
      }
      return {
        async succeeded() {
          await giveBackAddress();
          await attempts.deleteLoginAttempts(db, accountKey);
        },
      };
    },
  };
}
