import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { parameterValues, productTypes } from '../catalog/catalog.tables.js';
import { connectionDefaults } from './modules.schema.js';
import { defaultSyncSchedule } from './sync-schedule.js';

/** A processing module: one connection to one VMmanager 6 installation (and cluster). */
export const processingModules = pgTable(
  'processing_modules',
  {
    id: serial('id').primaryKey(),
    productTypeId: integer('product_type_id')
      .notNull()
      .references(() => productTypes.id),
    name: text('name').notNull(),
    kind: text('kind').notNull().default('vmmanager6'),
    url: text('url').notNull(),
    adminEmail: text('admin_email').notNull(),
    // AES-256-GCM ciphertext (`v1:<iv>:<tag>:<data>`, base64) of the module's secret: the
    // password, or the long-lived API token when `auth_method` is `token`; never in clear.
    passwordEncrypted: text('password_encrypted').notNull(),
    // How the module signs in to VMmanager: `password` (email and password) or `token`.
    authMethod: text('auth_method').notNull().default('password'),
    clusterId: integer('cluster_id'),
    sort: integer('sort').notNull().default(0),
    verifyTls: boolean('verify_tls').notNull().default(connectionDefaults.verifyTls),
    enabled: boolean('enabled').notNull().default(true),
    // A new row's default only: changing it never touches the schedule of an existing module.
    schedule: text('schedule').notNull().default(defaultSyncSchedule),
    newTemplatePolicy: text('new_template_policy').notNull().default('enable'),
    guardMaxDisconnectShare: real('guard_max_disconnect_share').notNull().default(0.5),
    connectTimeoutMs: integer('connect_timeout_ms').notNull().default(connectionDefaults.connectTimeoutMs),
    requestTimeoutMs: integer('request_timeout_ms').notNull().default(connectionDefaults.requestTimeoutMs),
    // The most bytes one VMmanager answer may have (32 MiB: about 50,000 templates).
    maxAnswerBytes: integer('max_answer_bytes').notNull().default(connectionDefaults.maxAnswerBytes),
    webhookUrl: text('webhook_url'),
    // Offer VMmanager's `NoOS` pseudo-template (repository `local`); off by default.
    includeNoOs: boolean('include_no_os').notNull().default(false),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }),
    lastFailureMessage: text('last_failure_message'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    // The upstream set and catalog revision of the last run that found (or left) nothing to do:
    // while both are unchanged, a run records "no change" without re-planning.
    syncUpstreamHash: text('sync_upstream_hash'),
    syncCatalogRevision: bigint('sync_catalog_revision', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('processing_modules_name_uq').on(t.productTypeId, t.name)],
);

/** Which templates a module serves; a disconnect flips `connected`, it never deletes. */
export const moduleTemplates = pgTable(
  'module_templates',
  {
    moduleId: integer('module_id')
      .notNull()
      .references(() => processingModules.id),
    valueId: integer('value_id')
      .notNull()
      .references(() => parameterValues.id),
    connected: boolean('connected').notNull().default(true),
    upstreamId: integer('upstream_id'),
    // Listed by VMmanager but not usable now (e.g. state `updating`): kept connected, not offered.
    available: boolean('available').notNull().default(true),
    unavailableReason: text('unavailable_reason'),
    // Where this module's installation builds it: the fitting clusters and kvm | lxd (null: unknown).
    clusterIds: integer('cluster_ids').array(),
    virtualization: text('virtualization'),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.moduleId, t.valueId] }),
    index('module_templates_value_idx').on(t.valueId, t.moduleId),
  ],
);
