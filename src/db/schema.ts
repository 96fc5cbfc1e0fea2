/** The whole database schema in one place; each table is declared beside its feature. */
export * from '../catalog/catalog.tables.js';
export * from '../modules/modules.tables.js';
export * from '../tariffs/tariffs.tables.js';
export * from '../audit/audit.tables.js';
export * from '../sync/sync.tables.js';
export * from '../auth/auth.tables.js';
export * from '../webhooks/webhooks.tables.js';
export * from '../jobs/jobs.tables.js';
