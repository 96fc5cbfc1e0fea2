import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/database.js';
import { tariffModules, tariffTemplateSettings, tariffs } from './tariffs.tables.js';
import type { Tariff } from './tariffs.schema.js';

type TariffRow = typeof tariffs.$inferSelect;

export const tariffRowToTariff = (row: TariffRow, moduleIds: number[]): Tariff => ({
  id: row.id,
  productTypeId: row.productTypeId,
  name: row.name,
  diskMib: row.diskMib,
  ramMib: row.ramMib,
  moduleIds,
  clonedFromId: row.clonedFromId,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export async function selectTariffRows(db: DbOrTx, productTypeId?: number): Promise<Tariff[]> {
  const rows = await db
    .select()
    .from(tariffs)
    .where(productTypeId === undefined ? undefined : eq(tariffs.productTypeId, productTypeId))
    .orderBy(asc(tariffs.id));
  const links = rows.length
    ? await db
        .select()
        .from(tariffModules)
        .where(
          inArray(
            tariffModules.tariffId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(tariffModules.moduleId))
    : [];
  return rows.map((row) =>
    tariffRowToTariff(
      row,
      links.filter((l) => l.tariffId === row.id).map((l) => l.moduleId),
    ),
  );
}

export async function selectTariffRow(
  db: DbOrTx,
  id: number,
  forUpdate = false,
): Promise<Tariff | undefined> {
  const query = db.select().from(tariffs).where(eq(tariffs.id, id));
  const rows = forUpdate ? await query.for('update') : await query;
  if (!rows[0]) return undefined;
  const links = await db
    .select({ moduleId: tariffModules.moduleId })
    .from(tariffModules)
    .where(eq(tariffModules.tariffId, id))
    .orderBy(asc(tariffModules.moduleId));
  return tariffRowToTariff(
    rows[0],
    links.map((l) => l.moduleId),
  );
}

export async function insertTariffRow(tx: Tx, values: typeof tariffs.$inferInsert): Promise<TariffRow> {
  const rows = await tx.insert(tariffs).values(values).returning();
  return rows[0]!;
}

export async function updateTariffRow(
  tx: Tx,
  id: number,
  patch: Partial<typeof tariffs.$inferInsert>,
): Promise<void> {
  await tx.update(tariffs).set(patch).where(eq(tariffs.id, id));
}

/** Replaces the set of modules a tariff uses. */
export async function replaceTariffModules(tx: Tx, tariffId: number, moduleIds: number[]): Promise<void> {
  await tx.delete(tariffModules).where(eq(tariffModules.tariffId, tariffId));
  if (moduleIds.length)
    await tx.insert(tariffModules).values(moduleIds.map((moduleId) => ({ tariffId, moduleId })));
}

export interface TariffSettingRow {
  tariffId: number;
  valueId: number;
  enabled: boolean;
}

export async function selectSettingsOfTemplate(db: DbOrTx, valueId: number): Promise<TariffSettingRow[]> {
  return db
    .select({
      tariffId: tariffTemplateSettings.tariffId,
      valueId: tariffTemplateSettings.valueId,
      enabled: tariffTemplateSettings.enabled,
    })
    .from(tariffTemplateSettings)
    .where(eq(tariffTemplateSettings.valueId, valueId));
}

/** Records the same explicit decision for one template on many tariffs, in one statement. */
export async function upsertTemplateSettings(
  tx: Tx,
  valueId: number,
  tariffIds: number[],
  enabled: boolean,
  actor: string,
  at: Date,
): Promise<void> {
  if (tariffIds.length === 0) return;
  await tx
    .insert(tariffTemplateSettings)
    .values(tariffIds.map((tariffId) => ({ tariffId, valueId, enabled, decidedBy: actor, decidedAt: at })))
    .onConflictDoUpdate({
      target: [tariffTemplateSettings.tariffId, tariffTemplateSettings.valueId],
      set: { enabled, decidedBy: actor, decidedAt: at },
    });
}

/** Copies every explicit decision of one tariff onto another (clone), in one statement. */
export async function copyTariffSettings(tx: Tx, fromId: number, toId: number, at: Date): Promise<void> {
  await tx.execute(sql`
    insert into tariff_template_settings (tariff_id, value_id, enabled, decided_by, decided_at)
    select ${toId}, value_id, enabled, decided_by, ${at.toISOString()}::timestamptz
    from tariff_template_settings where tariff_id = ${fromId}`);
}

export async function selectTariffsByIds(
  db: DbOrTx,
  ids: number[],
): Promise<{ id: number; productTypeId: number }[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: tariffs.id, productTypeId: tariffs.productTypeId })
    .from(tariffs)
    .where(inArray(tariffs.id, ids));
}

export async function selectTariffByName(db: DbOrTx, productTypeId: number, name: string) {
  const rows = await db
    .select({ id: tariffs.id })
    .from(tariffs)
    .where(and(eq(tariffs.productTypeId, productTypeId), eq(tariffs.name, name)));
  return rows[0];
}
