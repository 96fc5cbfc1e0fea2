import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type App } from '../app.js';
import { createSecretBox } from '../shared/secrets.js';
import { isAppError } from '../shared/errors.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { loginLimits } from './rate-limit.js';

// The attacks of issue 12 (findings 1 and 2), on the engine under test: a parallel burst, two
// instances on one database, a restart, and a lock-out that must not shut the real admin out.

let database: TestDatabase;
let now = new Date('2026-03-01T10:00:00Z');
const clock = { now: () => now };
const advance = (ms: number) => void (now = new Date(now.getTime() + ms));
const instance = (): App => createApp({ database, secrets: createSecretBox(randomBytes(32)), clock });
let first: App;
let second: App;
let n = 0;
const password = 'the-right-password';

/** A fresh admin account, so that each test starts from clean counters. */
const newAdmin = async () => {
  n += 1;
  const email = `victim${n}@example.test`;
  await first.auth.createAdmin({ email, password }, 'test');
  return email;
};

/** What one login answered: the password was checked (ok / wrong) or not at all (limited). */
const attempt = (app: App, email: string, pass: string, address: string) =>
  app.auth.login({ email, password: pass }, address).then(
    () => 'ok' as const,
    (error: unknown) => {
      if (isAppError(error) && error.code === 'unauthorized') return 'wrong' as const;
      if (isAppError(error) && error.code === 'rate_limited') return 'limited' as const;
      throw error;
    },
  );

const counts = (results: string[]) => ({
  checked: results.filter((r) => r !== 'limited').length,
  ok: results.filter((r) => r === 'ok').length,
});

beforeAll(async () => {
  database = await createTestDatabase();
  first = instance();
  second = instance();
});
afterAll(async () => {
  await first.auth.close();
  await second.auth.close();
  await database.close();
});

describe('a parallel burst', () => {
  test('40 logins at once on one account check at most 5 passwords, and the right one sent last is refused', async () => {
    const email = await newAdmin();
    const guesses = Array.from({ length: 39 }, (_, i) => `guess-${i}`);
    const results = await Promise.all(
      [...guesses, password].map((pass) => attempt(first, email, pass, '198.51.100.1')),
    );
    expect(counts(results).checked).toBeLessThanOrEqual(loginLimits.perAccount);
    expect(results.at(-1)).toBe('limited');
  });

  test('100 logins at once from one address over many accounts check at most 10 passwords', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => attempt(first, `spray${i}@example.test`, 'x', '198.51.100.2')),
    );
    expect(counts(results).checked).toBe(loginLimits.perAddress);
  });

  test('a right password inside a window gives its attempt back: it does not use up the address', async () => {
    const email = await newAdmin();
    for (let i = 0; i < 20; i += 1) expect(await attempt(first, email, password, '198.51.100.3')).toBe('ok');
  });
});

describe('one limit for every instance, across restarts', () => {
  test('failures on two instances add up to the documented 5, not 10', async () => {
    const email = await newAdmin();
    const results: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      results.push(await attempt(i % 2 ? second : first, email, `guess-${i}`, `203.0.113.${10 + i}`));
    }
    expect(results).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'wrong']);
    // Both instances now refuse an address that has failed before (no slow check for it).
    expect(await attempt(first, email, password, '203.0.113.10')).toBe('limited');
    expect(await attempt(second, email, password, '203.0.113.11')).toBe('limited');
  });

  test('a restarted instance still knows the failures', async () => {
    const email = await newAdmin();
    for (let i = 0; i < 5; i += 1) await attempt(first, email, `guess-${i}`, '203.0.113.50');
    await first.auth.close();
    first = instance();
    expect(await attempt(first, email, password, '203.0.113.50')).toBe('limited');
  });

  test('a window that has passed starts anew', async () => {
    const email = await newAdmin();
    for (let i = 0; i < 5; i += 1) await attempt(first, email, `guess-${i}`, '203.0.113.60');
    expect(await attempt(first, email, password, '203.0.113.60')).toBe('limited');
    advance(loginLimits.windowMs);
    expect(await attempt(second, email, password, '203.0.113.60')).toBe('ok');
  });
});

describe('a locked account is slowed down, not shut', () => {
  test('the right password from an address with no failures works after a short delay', async () => {
    const email = await newAdmin();
    for (let i = 0; i < 5; i += 1) await attempt(first, email, `guess-${i}`, `192.0.2.${i + 1}`);
    // An attacker on a fresh address takes the locked account's one check per 30 s…
    expect(await attempt(first, email, 'guess-5', '192.0.2.6')).toBe('wrong');
    // …so the admin waits at most that long, told how long by Retry-After.
    const refused = await first.auth.login({ email, password }, '192.0.2.99').catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'rate_limited' });
    const wait = (refused as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(loginLimits.lockedAccountEveryMs / 1000);
    advance(wait * 1000);
    expect(await attempt(second, email, password, '192.0.2.99')).toBe('ok');
    // Signed in: the account's failures are forgotten.
    expect(await attempt(first, email, password, '192.0.2.1')).toBe('ok');
  });

  test('the slow check is for clean addresses only, and a burst on it checks one password', async () => {
    const email = await newAdmin();
    for (let i = 0; i < 5; i += 1) await attempt(first, email, `guess-${i}`, `192.0.2.${20 + i}`);
    advance(loginLimits.lockedAccountEveryMs);
    expect(await attempt(first, email, password, '192.0.2.20')).toBe('limited');
    advance(loginLimits.lockedAccountEveryMs);
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        attempt(i % 2 ? second : first, email, `g${i}`, `192.0.2.${100 + i}`),
      ),
    );
    expect(counts(burst).checked).toBe(1);
  });
});
