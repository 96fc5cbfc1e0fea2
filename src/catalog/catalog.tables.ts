import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** Product types such as "VPS". */
export const productTypes = pgTable('product_types', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

/** Parameters of a product type, such as "Operating system" (`ostempl`). */
export const parameters = pgTable(
  'parameters',
  {
    id: serial('id').primaryKey(),
    productTypeId: integer('product_type_id')
      .notNull()
      .references(() => productTypes.id),
    name: text('name').notNull(),
    internalName: text('internal_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('parameters_type_internal_name_uq').on(t.productTypeId, t.internalName)],
);

/**
 * Values of a parameter; for `ostempl` these are the OS templates. Never hard-deleted:
 * `retired_at` marks a value replaced by a remap.
 */
export const parameterValues = pgTable(
  'parameter_values',
  {
    id: serial('id').primaryKey(),
    parameterId: integer('parameter_id')
      .notNull()
      .references(() => parameters.id),
    displayName: text('display_name').notNull(),
    // Set when an admin renamed the value: sync then leaves the display name alone.
    displayNameByAdmin: boolean('display_name_by_admin').notNull().default(false),
    internalName: text('internal_name').notNull(),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sort: integer('sort').notNull().default(0),
    minDiskMib: integer('min_disk_mib'),
    // VMmanager-owned like the minimum disk (admins cannot edit them); null when VMmanager does not say.
    minRamMib: integer('min_ram_mib'),
    osGroup: text('os_group'),
    disabled: boolean('disabled').notNull().default(false),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    disabledBy: text('disabled_by'),
    awaitingReview: boolean('awaiting_review').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    // The lifecycle, an admin's decision a sync never changes: deprecated (not offered for new
    // orders, still for reinstalls) since `deprecated_at`; `eol_at` in the future: deprecating then.
    deprecatedAt: timestamp('deprecated_at', { withTimezone: true }),
    deprecatedBy: text('deprecated_by'),
    eolAt: timestamp('eol_at', { withTimezone: true }),
    // No foreign key: values are never deleted, and a restore loads rows in id order.
    replacementId: integer('replacement_id'),
  },
  (t) => [
    // Case-sensitive on purpose: `ISPsystem__X` and `ISPSYSTEM__X` are different values.
    uniqueIndex('parameter_values_internal_name_uq').on(t.parameterId, t.internalName),
    index('parameter_values_sort_idx').on(t.parameterId, t.sort, t.displayName),
  ],
);

/**
 * One row counting committed changes to the catalog tables the sync plans against
 * (`parameter_values`, `module_templates`). Deferred triggers bump it at commit; a sync bumps it
 * itself. Equal revisions mean nothing the plan reads has changed (see docs/sync.md).
 */
export const catalogRevision = pgTable(
  'catalog_revision',
  {
    id: smallint('id').primaryKey().default(1),
    revision: bigint('revision', { mode: 'number' }).notNull().default(0),
  },
  (t) => [check('catalog_revision_single_row', sql`${t.id} = 1`)],
);
