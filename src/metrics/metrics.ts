import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { App } from '../app.js';
import { countSyncRunsByOutcome, selectRecentRunDurations } from '../sync/sync-runs.repository.js';
import { countDeliveriesByState } from '../webhooks/outbox.repository.js';
import type { StorefrontCacheStats } from '../http/storefront-cache.js';

/**
 * Prometheus metrics on a registry of its own (several apps in one process do not collide).
 * Sync and catalog figures are read from the database at scrape time, so they are right whatever
 * process (server, scheduler, CLI) did the work.
 */
export function createMetrics(app: App) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'oscat_process_' });

  const httpDuration = new Histogram({
    name: 'oscat_http_request_duration_seconds',
    help: 'HTTP request durations by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  new Gauge({
    name: 'oscat_sync_runs',
    help: 'Sync runs recorded, by module and outcome',
    labelNames: ['module', 'outcome'] as const,
    registers: [registry],
    async collect() {
      const rows = await countSyncRunsByOutcome(app.db);
      this.reset();
      for (const row of rows) this.set({ module: row.module, outcome: row.outcome }, row.n);
    },
  });

  const syncDuration = new Histogram({
    name: 'oscat_sync_duration_seconds',
    help: 'Duration of finished sync runs (the latest 10,000), by module',
    labelNames: ['module'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
    async collect() {
      const rows = await selectRecentRunDurations(app.db, 10_000);
      syncDuration.reset();
      for (const row of rows) syncDuration.observe({ module: row.module }, Math.max(0, Number(row.seconds)));
    },
  });

  new Gauge({
    name: 'oscat_templates',
    help: 'Live OS templates by connected module and status (all / some / none tariffs)',
    labelNames: ['module', 'status'] as const,
    registers: [registry],
    async collect() {
      const [templates, modules] = await Promise.all([
        app.catalog.listTemplates(),
        app.modules.listModules(),
      ]);
      const names = new Map(modules.map((m) => [m.id, m.name]));
      this.reset();
      for (const module of modules)
        for (const status of ['all', 'some', 'none']) this.set({ module: module.name, status }, 0);
      for (const template of templates) {
        const ids = template.connectedModuleIds.length ? template.connectedModuleIds : [0];
        for (const id of ids) this.inc({ module: names.get(id) ?? '(none)', status: template.status });
      }
    },
  });

  new Gauge({
    name: 'oscat_webhook_deliveries',
    help: 'Storefront webhook deliveries by outcome (delivered, failed, pending: not yet or retrying)',
    labelNames: ['outcome'] as const,
    registers: [registry],
    async collect() {
      const rows = await countDeliveriesByState(app.db);
      this.reset();
      for (const outcome of ['delivered', 'failed', 'pending']) this.set({ outcome }, 0);
      for (const row of rows) this.set({ outcome: row.state }, row.n);
    },
  });

  return {
    registry,
    /** Exports the storefront cache's lookups and invalidations (one cache per HTTP server). */
    observeStorefrontCache(cache: { stats(): StorefrontCacheStats }) {
      new Counter({
        name: 'oscat_storefront_cache_lookups_total',
        help: 'Storefront OS list lookups in the answer cache, by result (hit, miss)',
        labelNames: ['result'] as const,
        registers: [registry],
        collect() {
          const { hits, misses } = cache.stats();
          this.reset();
          this.inc({ result: 'hit' }, hits);
          this.inc({ result: 'miss' }, misses);
        },
      });
      new Counter({
        name: 'oscat_storefront_cache_invalidations_total',
        help: 'Times the storefront answer cache was emptied, by cause (the changed table, or admin_write)',
        labelNames: ['cause'] as const,
        registers: [registry],
        collect() {
          this.reset();
          for (const [cause, n] of cache.stats().invalidations) this.inc({ cause }, n);
        },
      });
    },
    observeHttp(method: string, route: string, status: number, seconds: number) {
      httpDuration.observe({ method, route, status: String(status) }, seconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
