import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/database.js';
import { auditedChange } from '../audit/audited-change.js';
import { AppError, conflict, notFound } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { parseWith } from '../shared/validate.js';
import { Id } from '../shared/primitives.schema.js';
import * as repo from './auth.repository.js';
import {
  AdminCreate,
  Login,
  TokenCreate,
  type AdminAccount,
  type ApiTokenInfo,
  type Principal,
  type SessionInfo,
  type TokenScope,
} from './auth.schema.js';
import { hashPassword, unknownAccountHash, verifyPassword } from './password.js';
import { createLoginLimiter } from './rate-limit.js';

export const sessionLifetimeMs = 12 * 60 * 60 * 1000;
const tokenCacheMs = 60_000;
const lastUsedEveryMs = 60_000;

/** SHA-256 of a random secret: enough for 256-bit secrets, and cheap on every request. */
export const hashSecret = (secret: string): string => hash('sha256', secret, 'hex');

export const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export type AuthService = ReturnType<typeof createAuthService>;

/** Admin accounts, browser sessions and API tokens; secrets are stored only as hashes. */
export function createAuthService(deps: { database: Database; clock: Clock; logger: Logger }) {
  const { db } = deps.database;
  const { clock } = deps;
  const loginLimiter = createLoginLimiter({ db, clock });
  // Token lookups are cached (the storefront is hot); revocation anywhere NOTIFYs every instance.
  const tokenCache = new Map<string, { principal: Principal | null; at: number }>();
  const lastUsedWrites = new Map<number, number>();
  // Caching starts only once LISTEN is in place, so no revocation can be missed.
  let tokenCacheLive = false;
  let closed = false;
  const listening = deps.database
    .listen('oscat_tokens_changed', () => tokenCache.clear())
    .then((unlisten) => {
      tokenCacheLive = true;
      return unlisten;
    })
    .catch((error: unknown) => {
      // Closed while LISTEN was starting (a short CLI command): nothing is disabled, nothing to warn about.
      if (closed) deps.logger.debug({ err: error }, 'closed before LISTEN was in place');
      else deps.logger.warn({ err: error }, 'token cache disabled: cannot LISTEN for revocations');
      return async () => undefined;
    });

  const toAccount = (row: repo.AdminRow): AdminAccount => ({
    id: row.id,
    email: row.email,
    disabled: row.disabled,
    createdAt: row.createdAt,
  });

  const touchToken = (id: number) => {
    const now = clock.now().getTime();
    if ((lastUsedWrites.get(id) ?? 0) > now - lastUsedEveryMs) return;
    lastUsedWrites.set(id, now);
    repo.updateTokenLastUsed(db, id, new Date(now)).catch((error: unknown) => {
      deps.logger.warn({ err: error, tokenId: id }, 'could not record token use');
    });
  };

  return {
    /** Creates an admin account (`os-catalog admin create`, the demo). */
    async createAdmin(input: { email: string; password: string }, actor: string): Promise<AdminAccount> {
      const parsed = parseWith(AdminCreate, input, { what: 'admin' });
      const passwordHash = await hashPassword(parsed.password);
      return auditedChange(db, clock, async (tx) => {
        if (await repo.selectAdminByEmail(tx, parsed.email))
          throw conflict(`admin ${parsed.email} already exists`);
        const row = await repo.insertAdmin(tx, parsed.email, passwordHash);
        return {
          result: toAccount(row),
          audit: {
            actor,
            action: 'admin.create',
            objectType: 'admin',
            objectId: row.id,
            after: { email: row.email },
          },
        };
      });
    },

    async listAdmins(): Promise<AdminAccount[]> {
      return (await repo.selectAdmins(db)).map(toAccount);
    },

    /** Checks the password (rate-limited per address and per account) and opens a session. */
    async login(input: Login, address: string): Promise<SessionInfo & { sessionToken: string }> {
      const { email, password } = parseWith(Login, input, { what: 'body' });
      // Counted before the (slow) password check, so a parallel burst cannot outrun the limit.
      const ticket = await loginLimiter.reserve(address, email);
      const admin = await repo.selectAdminByEmail(db, email);
      const ok = await verifyPassword(password, admin?.passwordHash ?? (await unknownAccountHash()));
      if (!admin || !ok || admin.disabled) throw new AppError('unauthorized', 'wrong email or password');
      await ticket.succeeded();
      const sessionToken = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(32).toString('base64url');
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + sessionLifetimeMs);
      await repo.deleteExpiredSessions(db, now);
      await repo.insertSession(db, {
        tokenHash: hashSecret(sessionToken),
        adminId: admin.id,
        csrfToken,
        createdAt: now,
        expiresAt,
      });
      return { admin: { id: admin.id, email: admin.email }, sessionToken, csrfToken, expiresAt };
    },

    /** The principal of a session cookie, or null when unknown or expired. */
    async authenticateSession(sessionToken: string) {
      const sessionHash = hashSecret(sessionToken);
      const row = await repo.selectLiveSession(db, sessionHash, clock.now());
      if (!row) return null;
      const principal: Principal = {
        kind: 'session',
        adminId: row.adminId,
        email: row.email,
        csrfToken: row.csrfToken,
        sessionHash,
      };
      return { principal, expiresAt: row.expiresAt };
    },

    async logout(sessionHash: string): Promise<void> {
      await repo.deleteSession(db, sessionHash);
    },

    /** The principal of a bearer token, or null when unknown or revoked. */
    async authenticateToken(secret: string): Promise<Principal | null> {
      const hash = hashSecret(secret);
      const now = clock.now().getTime();
      const cached = tokenCache.get(hash);
      let principal: Principal | null;
      if (tokenCacheLive && cached && cached.at > now - tokenCacheMs) principal = cached.principal;
      else {
        const row = await repo.selectUsableToken(db, hash);
        principal = row
          ? { kind: 'token', tokenId: row.id, name: row.name, scope: row.scope as TokenScope }
          : null;
        if (tokenCache.size > 10_000) tokenCache.clear();
        tokenCache.set(hash, { principal, at: now });
      }
      if (principal?.kind === 'token') touchToken(principal.tokenId);
      return principal;
    },

    /** Creates an API token; the secret is returned here once and stored only as a hash. */
    async createToken(input: TokenCreate, actor: string, adminId: number | null = null) {
      const parsed = parseWith(TokenCreate, input, { what: 'token' });
      const secret = `oscat_${randomBytes(24).toString('base64url')}`;
      const id = await auditedChange(db, clock, async (tx, at) => {
        if (await repo.selectActiveTokenByName(tx, parsed.name)) {
          throw conflict(`an active token named ${parsed.name} already exists`, { field: 'name' });
        }
        const row = await repo.insertApiToken(tx, {
          ...parsed,
          tokenHash: hashSecret(secret),
          adminId,
          createdAt: at,
        });
        return {
          result: row.id,
          audit: {
            actor,
            action: 'token.create',
            objectType: 'token',
            objectId: row.id,
            after: { name: row.name, scope: row.scope },
          },
        };
      });
      tokenCache.clear();
      return { token: (await repo.selectApiToken(db, id)) as ApiTokenInfo, secret };
    },

    async listTokens(): Promise<ApiTokenInfo[]> {
      return repo.selectApiTokens(db);
    },

    /** Revokes a token (kept, with `revokedAt`); every instance forgets it at once. */
    async revokeToken(id: number, actor: string): Promise<ApiTokenInfo> {
      parseWith(Id, id, { what: 'tokenId' });
      await auditedChange(db, clock, async (tx, at) => {
        const token = await repo.selectApiToken(tx, id);
        if (!token) throw notFound('token', id);
        // Already revoked: nothing changes, so nothing is recorded.
        if (token.revokedAt) return { result: undefined, audit: [] };
        await repo.updateTokenRevoked(tx, id, at);
        return {
          result: undefined,
          audit: {
            actor,
            action: 'token.revoke',
            objectType: 'token',
            objectId: id,
            before: { revokedAt: null },
            after: { revokedAt: at.toISOString() },
          },
        };
      });
      tokenCache.clear();
      return (await repo.selectApiToken(db, id)) as ApiTokenInfo;
    },

    async close(): Promise<void> {
      closed = true;
      await (
        await listening
      )();
    },
  };
}
