// The freshness benchmark's polling cost: the CPU time this process spends keeping an unchanged
// 200-template module in sync on the default schedule (see docs/performance.md, "Freshness").
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createApp, type App } from '../src/app.js';
import type { Engine } from '../src/db/database.js';
import { createAppScheduler } from '../src/jobs/app-scheduler.js';
import { createScheduledSyncJob } from '../src/jobs/scheduled-sync.job.js';
import { createLogger } from '../src/shared/logger.js';
import { createSecretBox } from '../src/shared/secrets.js';
import { openBenchDatabase } from './sync-bench.engines.js';

/** Syncs per module-hour on the default schedule (every 30 s). */
export const defaultSyncsPerHour = 120;

export interface PollingCost {
  templates: number;
  /** Method 1: CPU per scheduled no-change sync, measured over back-to-back slots. */
  perSyncMs: number;
  perSyncWallMs: number;
  syncs: number;
  outcomes: string;
  /** Method 2: process CPU over a window of the real scheduler at 30× the default cadence, per run. */
  windowS: number;
  windowRuns: number;
  windowPerRunMs: number;
}

interface SimChild {
  url: string;
  email: string;
  password: string;
  close(): Promise<void>;
}

async function startSimChild(templates: number): Promise<SimChild> {
  const entry = fileURLToPath(new URL('./freshness-sim.child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, String(templates)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve) => lines.once('line', resolve));
  const address = JSON.parse(first) as Omit<SimChild, 'close'>;
  return {
    ...address,
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    },
  };
}

const cpuMs = (used: NodeJS.CpuUsage) => (used.user + used.system) / 1000;

// Repeated no-change runs fold into one history row (runCount), so count runs, not rows.
async function countScheduledRuns(app: App, moduleId: number): Promise<number> {
  const runs = await app.sync.listSyncRuns({ moduleId, limit: 200 });
  return runs.filter((r) => r.trigger === 'schedule').reduce((n, r) => n + r.runCount, 0);
}

/**
 * Both methods on one fresh database: per-sync CPU over `syncs` back-to-back scheduled slots
 * (the handler the cron calls, claim included), then the real scheduler on `* * * * * *` for
 * `windowS` seconds, its process CPU divided by the runs it made.
 */
export async function measurePollingCost(
  engine: Engine,
  serverUrl: string | undefined,
  options: { templates: number; syncs: number; windowS: number },
): Promise<PollingCost> {
  const sim = await startSimChild(options.templates);
  const bench = await openBenchDatabase(engine, serverUrl);
  const logger = createLogger({ level: 'silent' });
  const app = createApp({ database: bench.database, secrets: createSecretBox(randomBytes(32)), logger });
  try {
    const module = await app.modules.createModule(
      { name: 'unchanged', url: sim.url, adminEmail: sim.email, password: sim.password },
      'bench',
    );
    await app.sync.runSync(module.id, { trigger: 'initial' });
    const job = createScheduledSyncJob({
      db: app.db,
      clock: app.clock,
      logger,
      instanceId: 'bench',
      getModule: (id) => app.modules.getModule(id),
      runScheduledSync: (id, slot) => app.sync.runSync(id, { trigger: 'schedule', actor: 'schedule', slot }),
    });
    let slot = Date.parse('2030-01-01T00:00:00Z');
    const runSlot = () => job.handleScheduledSync(module.id, new Date((slot += 30_000)));
    for (let i = 0; i < 10; i += 1) await runSlot(); // warm-up: JIT, session, statement caches
    const outcomes = new Set<string>();
    const start = performance.now();
    const before = process.cpuUsage();
    for (let i = 0; i < options.syncs; i += 1) {
      const status = await runSlot();
      outcomes.add(status.status === 'ran' ? status.outcome : status.status);
    }
    const perSyncMs = cpuMs(process.cpuUsage(before)) / options.syncs;
    const perSyncWallMs = (performance.now() - start) / options.syncs;

    await app.modules.updateModule(module.id, { schedule: '* * * * * *' }, 'bench');
    const runsBefore = await countScheduledRuns(app, module.id);
    const scheduler = createAppScheduler(app, { instanceId: 'bench-window' });
    const windowBefore = process.cpuUsage();
    await scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, options.windowS * 1000));
    await scheduler.stop();
    const windowCpu = cpuMs(process.cpuUsage(windowBefore));
    const windowRuns = (await countScheduledRuns(app, module.id)) - runsBefore;
    return {
      templates: options.templates,
      perSyncMs,
      perSyncWallMs,
      syncs: options.syncs,
      outcomes: [...outcomes].join(', '),
      windowS: options.windowS,
      windowRuns,
      windowPerRunMs: windowCpu / Math.max(1, windowRuns),
    };
  } finally {
    await app.sync.close();
    await bench.dispose();
    await sim.close();
  }
}

/** CPU seconds per module-hour and the share of one core, on the default schedule. */
export const perModuleHour = (perSyncMs: number) => {
  const seconds = (perSyncMs * defaultSyncsPerHour) / 1000;
  return { seconds, coreShare: seconds / 3600 };
};
