import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { parameterValues, parameters, productTypes } from './catalog.tables.js';
import {
  osParameterName,
  type Lifecycle,
  type OsTemplate,
  type Parameter,
  type ProductType,
} from './catalog.schema.js';
import { orderabilityOf } from './orderable.sql.js';
import { notFound } from '../shared/errors.js';

type ValueRow = typeof parameterValues.$inferSelect;

/** The one place that knows both the row and the domain shape of a template. */
export const templateRowToTemplate = (row: ValueRow): OsTemplate => ({
  id: row.id,
  parameterId: row.parameterId,
  displayName: row.displayName,
  displayNameByAdmin: row.displayNameByAdmin,
  internalName: row.internalName,
  tags: row.tags,
  sort: row.sort,
  minDiskMib: row.minDiskMib,
  minRamMib: row.minRamMib,
  osGroup: row.osGroup,
  disabled: row.disabled,
  disabledAt: row.disabledAt,
  disabledBy: row.disabledBy,
  awaitingReview: row.awaitingReview,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  retiredAt: row.retiredAt,
  deprecatedAt: row.deprecatedAt,
  deprecatedBy: row.deprecatedBy,
  eolAt: row.eolAt,
  replacementId: row.replacementId,
  lifecycle: lifecycleOf(row),
});

/** The lifecycle from the stored facts alone: the EOL job turns "deprecating" into "deprecated". */
export const lifecycleOf = (row: { deprecatedAt: Date | null; eolAt: Date | null }): Lifecycle =>
  row.deprecatedAt !== null ? 'deprecated' : row.eolAt !== null ? 'deprecating' : 'active';

export async function selectProductTypes(db: DbOrTx): Promise<ProductType[]> {
  return db
    .select({ id: productTypes.id, name: productTypes.name })
    .from(productTypes)
    .orderBy(productTypes.id);
}

export async function selectParameters(db: DbOrTx, productTypeId: number): Promise<Parameter[]> {
  return db
    .select({ id: parameters.id, name: parameters.name, internalName: parameters.internalName })
    .from(parameters)
    .where(eq(parameters.productTypeId, productTypeId))
    .orderBy(parameters.id);
}

/** The `ostempl` parameter of a product type (the first product type when none is given). */
export async function selectOsParameter(
  db: DbOrTx,
  productTypeId?: number,
): Promise<{ id: number; productTypeId: number } | undefined> {
  const rows = await db
    .select({ id: parameters.id, productTypeId: parameters.productTypeId })
    .from(parameters)
    .where(
      and(
        eq(parameters.internalName, osParameterName),
        productTypeId === undefined ? undefined : eq(parameters.productTypeId, productTypeId),
      ),
    )
    .orderBy(parameters.productTypeId)
    .limit(1);
  return rows[0];
}

export async function selectTemplateRow(
  db: DbOrTx,
  id: number,
  forUpdate = false,
): Promise<OsTemplate | undefined> {
  const query = db.select().from(parameterValues).where(eq(parameterValues.id, id));
  const rows = forUpdate ? await query.for('update') : await query;
  return rows[0] ? templateRowToTemplate(rows[0]) : undefined;
}

export async function selectTemplateRows(db: DbOrTx, ids: number[]): Promise<OsTemplate[]> {
  if (ids.length === 0) return [];
  const rows = await db.select().from(parameterValues).where(inArray(parameterValues.id, ids));
  return rows.map(templateRowToTemplate);
}

export interface TemplateCountsRow {
  id: number;
  orderable_tariffs: number;
  tariff_count: number;
  connected_module_ids: number[];
}

/**
 * For every template of a parameter: on how many of the product type's tariffs it is orderable
 * (the orderable rule, `orderabilityOf`) and which modules it is connected to, in one statement.
 */
export async function selectTemplateCounts(db: DbOrTx, parameterId: number): Promise<TemplateCountsRow[]> {
  return queryRows<TemplateCountsRow>(
    db,
    sql`
    with orderable as (
      select o.value_id, count(*)::int as n
      from (${orderabilityOf({ parameterId }, { connectedOnly: true })}) o
      where o.reason is null
      group by o.value_id
    ),
    connections as (
      select mt.value_id, array_agg(mt.module_id order by mt.module_id) as ids
      from module_templates mt
      join parameter_values v on v.id = mt.value_id and v.parameter_id = ${parameterId}
      where mt.connected
      group by mt.value_id
    )
    select v.id,
           coalesce(o.n, 0) as orderable_tariffs,
           (select count(*)::int from tariffs t join parameters p on p.product_type_id = t.product_type_id
            where p.id = ${parameterId}) as tariff_count,
           coalesce(c.ids, '{}'::int[]) as connected_module_ids
    from parameter_values v
    left join orderable o on o.value_id = v.id
    left join connections c on c.value_id = v.id
    where v.parameter_id = ${parameterId}`,
  );
}

export async function selectTemplatesOfParameter(db: DbOrTx, parameterId: number): Promise<OsTemplate[]> {
  const rows = await db
    .select()
    .from(parameterValues)
    .where(eq(parameterValues.parameterId, parameterId))
    .orderBy(parameterValues.sort, parameterValues.displayName, parameterValues.id);
  return rows.map(templateRowToTemplate);
}

export type TemplatePatch = Partial<
  Pick<
    ValueRow,
    | 'displayName'
    | 'displayNameByAdmin'
    | 'sort'
    | 'tags'
    | 'disabled'
    | 'disabledAt'
    | 'disabledBy'
    | 'awaitingReview'
    | 'deprecatedAt'
    | 'deprecatedBy'
    | 'eolAt'
    | 'replacementId'
  >
>;

export async function updateTemplateRow(
  tx: Tx,
  id: number,
  patch: TemplatePatch,
  at: Date,
): Promise<OsTemplate> {
  const rows = await tx
    .update(parameterValues)
    .set({ ...patch, updatedAt: at })
    .where(eq(parameterValues.id, id))
    .returning();
  return templateRowToTemplate(rows[0]!);
}

/**
 * Deprecates, as of their EOL date, the templates whose EOL date is at or before `at` and that
 * are not deprecated yet. The condition is re-checked on a row another transaction just moved,
 * so concurrent callers each move (and report) a row at most once between them.
 */
export async function updateTemplatesPastEol(
  tx: Tx,
  at: Date,
): Promise<{ id: number; internalName: string; eolAt: Date; replacementId: number | null }[]> {
  const rows = await tx
    .update(parameterValues)
    .set({ deprecatedAt: sql`${parameterValues.eolAt}`, updatedAt: at })
    .where(and(isNull(parameterValues.deprecatedAt), lte(parameterValues.eolAt, at)))
    .returning({
      id: parameterValues.id,
      internalName: parameterValues.internalName,
      eolAt: parameterValues.eolAt,
      replacementId: parameterValues.replacementId,
    });
  return rows.map((r) => ({ ...r, eolAt: r.eolAt! }));
}

/** Sets many sorts in one statement. */
export async function updateTemplateSorts(
  tx: Tx,
  items: { id: number; sort: number }[],
  at: Date,
): Promise<void> {
  await tx.execute(sql`
    update parameter_values v set sort = x.sort, updated_at = ${at.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(items)}::jsonb) as x(id int, sort int)
    where v.id = x.id`);
}

/** The product type that owns a parameter. */
export async function selectParameterOwner(
  db: DbOrTx,
  parameterId: number,
): Promise<{ productTypeId: number }> {
  const rows = await db
    .select({ productTypeId: parameters.productTypeId })
    .from(parameters)
    .where(eq(parameters.id, parameterId));
  if (!rows[0]) throw notFound('parameter', parameterId);
  return rows[0];
}
