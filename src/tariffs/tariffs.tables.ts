import {
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { parameterValues, productTypes } from '../catalog/catalog.tables.js';
import { processingModules } from '../modules/modules.tables.js';

/** Tariff plans of a product type. */
export const tariffs = pgTable(
  'tariffs',
  {
    id: serial('id').primaryKey(),
    productTypeId: integer('product_type_id')
      .notNull()
      .references(() => productTypes.id),
    name: text('name').notNull(),
    diskMib: integer('disk_mib'),
    // Null: the tariff does not say, and templates are not held to a minimum RAM on it.
    ramMib: integer('ram_mib'),
    clonedFromId: integer('cloned_from_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tariffs_name_uq').on(t.productTypeId, t.name)],
);

/** The processing modules a tariff uses. */
export const tariffModules = pgTable(
  'tariff_modules',
  {
    tariffId: integer('tariff_id')
      .notNull()
      .references(() => tariffs.id),
    moduleId: integer('module_id')
      .notNull()
      .references(() => processingModules.id),
  },
  (t) => [
    primaryKey({ columns: [t.tariffId, t.moduleId] }),
    index('tariff_modules_module_idx').on(t.moduleId),
  ],
);

/** Only an admin's explicit per-tariff decisions; everything else is derived. */
export const tariffTemplateSettings = pgTable(
  'tariff_template_settings',
  {
    tariffId: integer('tariff_id')
      .notNull()
      .references(() => tariffs.id),
    valueId: integer('value_id')
      .notNull()
      .references(() => parameterValues.id),
    enabled: boolean('enabled').notNull(),
    decidedBy: text('decided_by').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tariffId, t.valueId] }),
    index('tariff_template_settings_value_idx').on(t.valueId),
  ],
);
