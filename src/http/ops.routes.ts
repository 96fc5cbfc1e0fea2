import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from 'typebox';
import type { App } from '../app.js';
import { selectAppliedMigrationStamps } from '../db/migrations.repository.js';
import { migrationsFolder } from '../db/migrate.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Server } from './http.server.js';

const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  migrations: Type.Object({ applied: Type.Integer(), expected: Type.Integer(), current: Type.Boolean() }),
});

/** The `when` stamps of the committed migrations (drizzle's journal), read once. */
let journal: Promise<number[]> | undefined;
const expectedMigrations = () =>
  (journal ??= readFile(join(migrationsFolder, 'meta', '_journal.json'), 'utf8').then((text) =>
    (JSON.parse(text) as { entries: { when: number }[] }).entries.map((e) => e.when),
  ));

async function checkReadiness(app: App) {
  const expected = await expectedMigrations();
  try {
    const stamps = await selectAppliedMigrationStamps(app.db);
    const applied = new Set(stamps);
    const current = expected.every((when) => applied.has(when));
    return {
      status: current ? ('ready' as const) : ('not_ready' as const),
      database: 'ok' as const,
      migrations: { applied: stamps.length, expected: expected.length, current },
    };
  } catch {
    return {
      status: 'not_ready' as const,
      database: 'unreachable' as const,
      migrations: { applied: 0, expected: expected.length, current: false },
    };
  }
}

/** /healthz, /readyz, /metrics and /openapi.json: public, for probes and scrapers. */
export function registerOpsRoutes(server: Server, app: App, metrics: Metrics): void {
  server.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  server.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The database answers and every migration is applied',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const readiness = await checkReadiness(app);
      return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness);
    },
  );

  server.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        produces: ['text/plain'],
        response: { 200: Type.String({ description: 'Prometheus text exposition format' }) },
      },
    },
    async (_request, reply) => {
      const body = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(body);
    },
  );

  server.get(
    '/openapi.json',
    {
      schema: {
        tags: ['operations'],
        summary: 'This API as an OpenAPI 3.1 document',
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
    },
    async () => server.swagger() as unknown as Record<string, unknown>,
  );
}
