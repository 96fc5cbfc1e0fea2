import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createApp, type App } from '../app.js';
import type { Db } from '../db/database.js';
import { parameterValues } from '../catalog/catalog.tables.js';
import { moduleTemplates } from '../modules/modules.tables.js';
import { selectOsParameter } from '../catalog/catalog.repository.js';
import { createSecretBox } from '../shared/secrets.js';
import { queryRows } from '../db/query.js';
import type { Clock } from '../shared/clock.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp extends App {
  testDatabase: TestDatabase;
  close(): Promise<void>;
}

/** A full app on a clean test database (PGlite, or PostgreSQL with DATABASE_URL). */
export async function createTestApp(options: { clock?: Clock } = {}): Promise<TestApp> {
  const testDatabase = await createTestDatabase();
  const app = createApp({
    database: testDatabase,
    secrets: createSecretBox(randomBytes(32)),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return { ...app, testDatabase, close: () => testDatabase.close() };
}

export interface TemplateSeed {
  internalName: string;
  displayName?: string;
  sort?: number;
  minDiskMib?: number | null;
  minRamMib?: number | null;
  awaitingReview?: boolean;
  disabled?: boolean;
  retiredAt?: Date | null;
  deprecatedAt?: Date | null;
}

/** Inserts OS templates directly (the way a sync would) and returns their ids in order. */
export async function insertTemplates(db: Db, seeds: TemplateSeed[]): Promise<number[]> {
  const parameter = await selectOsParameter(db);
  const rows = await db
    .insert(parameterValues)
    .values(
      seeds.map((s, i) => ({
        parameterId: parameter!.id,
        internalName: s.internalName,
        displayName: s.displayName ?? s.internalName.split('__')[1] ?? s.internalName,
        sort: s.sort ?? (i + 1) * 10,
        minDiskMib: s.minDiskMib ?? null,
        minRamMib: s.minRamMib ?? null,
        awaitingReview: s.awaitingReview ?? false,
        disabled: s.disabled ?? false,
        retiredAt: s.retiredAt ?? null,
        deprecatedAt: s.deprecatedAt ?? null,
      })),
    )
    .returning({ id: parameterValues.id });
  return rows.map((r) => r.id);
}

/** Connects templates to a module directly (the way a sync would); `available: false` as while VMmanager updates them. */
export async function connectTemplates(
  db: Db,
  moduleId: number,
  valueIds: number[],
  connected = true,
  available = true,
): Promise<void> {
  await db
    .insert(moduleTemplates)
    .values(valueIds.map((valueId) => ({ moduleId, valueId, connected, available })))
    .onConflictDoUpdate({
      target: [moduleTemplates.moduleId, moduleTemplates.valueId],
      set: { connected, available },
    });
}

/** A module with a throwaway password, for tests that do not talk to VMmanager. */
export async function addTestModule(app: App, name: string, extra: { sort?: number } = {}) {
  return app.modules.createModule(
    {
      name,
      url: 'https://vm.example.test',
      adminEmail: 'admin@example.test',
      password: 'pw-' + name,
      ...extra,
    },
    'test',
  );
}

/** Every row of the catalog tables, for before/after comparisons. */
export async function dumpCatalog(db: Db): Promise<string> {
  const tables = [
    'parameter_values',
    'module_templates',
    'tariffs',
    'tariff_modules',
    'tariff_template_settings',
    'processing_modules',
  ];
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await queryRows<{ rows: unknown }>(
      db,
      sql.raw(`select coalesce(json_agg(t order by t), '[]') as rows from ${table} t`),
    );
    parts.push(`${table}: ${JSON.stringify(rows[0]?.rows)}`);
  }
  return parts.join('\n');
}
