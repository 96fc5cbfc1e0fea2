import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/database.js';
import { moduleTemplates, processingModules } from './modules.tables.js';
import type { AuthMethod, NewTemplatePolicy, ProcessingModule } from './modules.schema.js';
import type { TemplateModuleLink } from '../catalog/catalog.schema.js';
import { syncBackoffUntil } from './sync-schedule.js';

export type ModuleRow = typeof processingModules.$inferSelect;
export type ModuleInsert = typeof processingModules.$inferInsert;

/** Maps a row to the public shape; the encrypted password stays behind. */
export const moduleRowToModule = (row: ModuleRow): ProcessingModule => ({
  id: row.id,
  productTypeId: row.productTypeId,
  name: row.name,
  kind: row.kind,
  url: row.url,
  adminEmail: row.adminEmail,
  authMethod: row.authMethod as AuthMethod,
  clusterId: row.clusterId,
  sort: row.sort,
  verifyTls: row.verifyTls,
  enabled: row.enabled,
  schedule: row.schedule,
  newTemplatePolicy: row.newTemplatePolicy as NewTemplatePolicy,
  guardMaxDisconnectShare: row.guardMaxDisconnectShare,
  connectTimeoutMs: row.connectTimeoutMs,
  requestTimeoutMs: row.requestTimeoutMs,
  maxAnswerBytes: row.maxAnswerBytes,
  webhookUrl: row.webhookUrl,
  includeNoOs: row.includeNoOs,
  health: {
    lastSuccessAt: row.lastSuccessAt,
    lastFailureAt: row.lastFailureAt,
    lastFailureMessage: row.lastFailureMessage,
    consecutiveFailures: row.consecutiveFailures,
    backoffUntil: syncBackoffUntil(row),
  },
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export async function selectModuleRows(db: DbOrTx, productTypeId?: number): Promise<ModuleRow[]> {
  return db
    .select()
    .from(processingModules)
    .where(productTypeId === undefined ? undefined : eq(processingModules.productTypeId, productTypeId))
    .orderBy(asc(processingModules.sort), asc(processingModules.id));
}

export async function selectModuleRow(
  db: DbOrTx,
  id: number,
  forUpdate = false,
): Promise<ModuleRow | undefined> {
  const query = db.select().from(processingModules).where(eq(processingModules.id, id));
  const rows = forUpdate ? await query.for('update') : await query;
  return rows[0];
}

export async function selectModuleByName(
  db: DbOrTx,
  productTypeId: number,
  name: string,
): Promise<ModuleRow | undefined> {
  const rows = await db
    .select()
    .from(processingModules)
    .where(and(eq(processingModules.productTypeId, productTypeId), eq(processingModules.name, name)));
  return rows[0];
}

export async function insertModuleRow(tx: Tx, values: ModuleInsert): Promise<ModuleRow> {
  const rows = await tx.insert(processingModules).values(values).returning();
  return rows[0]!;
}

export async function updateModuleRow(tx: Tx, id: number, patch: Partial<ModuleInsert>): Promise<ModuleRow> {
  const rows = await tx.update(processingModules).set(patch).where(eq(processingModules.id, id)).returning();
  return rows[0]!;
}

/** All modules of a template's product type with that template's connection, if any. */
export async function selectConnectionsOfTemplate(
  db: DbOrTx,
  productTypeId: number,
  valueId: number,
): Promise<TemplateModuleLink[]> {
  const rows = await db
    .select({
      moduleId: processingModules.id,
      moduleName: processingModules.name,
      moduleEnabled: processingModules.enabled,
      connected: moduleTemplates.connected,
      upstreamId: moduleTemplates.upstreamId,
      available: moduleTemplates.available,
      unavailableReason: moduleTemplates.unavailableReason,
      clusterIds: moduleTemplates.clusterIds,
      virtualization: moduleTemplates.virtualization,
      lastSeenAt: moduleTemplates.lastSeenAt,
    })
    .from(processingModules)
    .leftJoin(
      moduleTemplates,
      and(eq(moduleTemplates.moduleId, processingModules.id), eq(moduleTemplates.valueId, valueId)),
    )
    .where(eq(processingModules.productTypeId, productTypeId))
    .orderBy(asc(processingModules.sort), asc(processingModules.id));
  return rows.map((row) => ({ ...row, connected: row.connected ?? false, available: row.available ?? true }));
}

/** Connects or disconnects one template on one module by hand (an admin's action). */
export async function upsertConnection(
  tx: Tx,
  moduleId: number,
  valueId: number,
  connected: boolean,
  at: Date,
): Promise<void> {
  await tx
    .insert(moduleTemplates)
    .values({ moduleId, valueId, connected, updatedAt: at })
    .onConflictDoUpdate({
      target: [moduleTemplates.moduleId, moduleTemplates.valueId],
      set: { connected, updatedAt: at },
    });
}
