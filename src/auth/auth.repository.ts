import { and, asc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.js';
import { admins, adminSessions, apiTokens } from './auth.tables.js';

export type AdminRow = typeof admins.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function selectAdminByEmail(db: DbOrTx, email: string): Promise<AdminRow | undefined> {
  const rows = await db.select().from(admins).where(eq(admins.email, email)).limit(1);
  return rows[0];
}

export async function selectAdmins(db: DbOrTx): Promise<AdminRow[]> {
  return db.select().from(admins).orderBy(asc(admins.id));
}

export async function insertAdmin(db: DbOrTx, email: string, passwordHash: string): Promise<AdminRow> {
  const rows = await db.insert(admins).values({ email, passwordHash }).returning();
  return rows[0]!;
}

export async function insertSession(
  db: DbOrTx,
  row: { tokenHash: string; adminId: number; csrfToken: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.insert(adminSessions).values(row);
}

/** A live session with its (enabled) admin, or undefined. */
export async function selectLiveSession(db: DbOrTx, tokenHash: string, now: Date) {
  const rows = await db
    .select({
      adminId: admins.id,
      email: admins.email,
      csrfToken: adminSessions.csrfToken,
      expiresAt: adminSessions.expiresAt,
    })
    .from(adminSessions)
    .innerJoin(admins, eq(admins.id, adminSessions.adminId))
    .where(
      and(
        eq(adminSessions.tokenHash, tokenHash),
        gt(adminSessions.expiresAt, now),
        eq(admins.disabled, false),
      ),
    )
    .limit(1);
  return rows[0];
}

export async function deleteSession(db: DbOrTx, tokenHash: string): Promise<void> {
  await db.delete(adminSessions).where(eq(adminSessions.tokenHash, tokenHash));
}

export async function deleteExpiredSessions(db: DbOrTx, now: Date): Promise<void> {
  await db.delete(adminSessions).where(lt(adminSessions.expiresAt, now));
}

export async function insertApiToken(
  db: DbOrTx,
  row: { name: string; scope: string; tokenHash: string; adminId: number | null; createdAt: Date },
): Promise<ApiTokenRow> {
  const rows = await db.insert(apiTokens).values(row).returning();
  return rows[0]!;
}

const tokenColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  scope: apiTokens.scope,
  createdBy: admins.email,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

export async function selectApiTokens(db: DbOrTx) {
  return db
    .select(tokenColumns)
    .from(apiTokens)
    .leftJoin(admins, eq(admins.id, apiTokens.adminId))
    .orderBy(asc(apiTokens.id));
}

export async function selectApiToken(db: DbOrTx, id: number) {
  const rows = await db
    .select(tokenColumns)
    .from(apiTokens)
    .leftJoin(admins, eq(admins.id, apiTokens.adminId))
    .where(eq(apiTokens.id, id));
  return rows[0];
}

export async function selectActiveTokenByName(db: DbOrTx, name: string) {
  const rows = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(and(eq(apiTokens.name, name), isNull(apiTokens.revokedAt)))
    .limit(1);
  return rows[0];
}

/** A usable token: not revoked, and its creating admin (if any) not disabled. */
export async function selectUsableToken(db: DbOrTx, tokenHash: string) {
  const rows = await db
    .select({ id: apiTokens.id, name: apiTokens.name, scope: apiTokens.scope })
    .from(apiTokens)
    .leftJoin(admins, eq(admins.id, apiTokens.adminId))
    .where(
      and(
        eq(apiTokens.tokenHash, tokenHash),
        isNull(apiTokens.revokedAt),
        sql`coalesce(${admins.disabled}, false) = false`,
      ),
    )
    .limit(1);
  return rows[0];
}

export async function updateTokenRevoked(db: DbOrTx, id: number, at: Date): Promise<void> {
  await db
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
}

export async function updateTokenLastUsed(db: DbOrTx, id: number, at: Date): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}
