import { randomUUID } from 'node:crypto';

/** Issued tokens with an inactivity timeout, like VMmanager's (about an hour by default). */
export interface SimSessions {
  issue(): { token: string; expiresAt: string };
  /** True (and the idle timer restarts) when the token is known and not expired. */
  touch(token: string | undefined): boolean;
  /** Expires every session token (API tokens stay). */
  expireAll(): void;
  /** A long-lived API token (`POST /auth/v4/token`): no inactivity timeout, valid until revoked. */
  issueApiToken(): string;
  /** Revokes every API token (as deleting them in VMmanager would). */
  revokeApiTokens(): void;
  count(): number;
  /** Every token ever issued, so tests can check none of them leaked. */
  issued(): string[];
}

/** Creates the session store; `ttlMs` is the inactivity timeout, measured on `now`. */
export function createSessions(ttlMs: number, now: () => number = Date.now): SimSessions {
  const lastUsed = new Map<string, number>();
  const apiTokens = new Set<string>();
  const issued: string[] = [];
  return {
    issueApiToken() {
      const token = `api-${randomUUID()}`;
      apiTokens.add(token);
      issued.push(token);
      return token;
    },
    revokeApiTokens: () => apiTokens.clear(),
    issue() {
      const token = `1-${randomUUID()}`;
      lastUsed.set(token, now());
      issued.push(token);
      const expiresAt = new Date(now() + ttlMs).toISOString().replace('T', ' ').slice(0, 19);
      return { token, expiresAt };
    },
    touch(token) {
      if (!token) return false;
      if (apiTokens.has(token)) return true;
      const used = lastUsed.get(token);
      if (used === undefined) return false;
      if (now() - used > ttlMs) {
        lastUsed.delete(token);
        return false;
      }
      lastUsed.set(token, now());
      return true;
    },
    expireAll: () => lastUsed.clear(),
    count: () => lastUsed.size,
    issued: () => [...issued],
  };
}
