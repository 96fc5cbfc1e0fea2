import { join } from 'node:path';
import type { App } from '../app.js';
import type { Config } from '../config.js';
import type { ProcessingModule } from '../modules/modules.schema.js';
import type { Tariff } from '../tariffs/tariffs.schema.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { defaultSyncSchedule } from '../modules/sync-schedule.js';

/** The demo runs when nothing real is configured: no `OSCAT_DEMO` and no `DATABASE_URL`. */
export const isDemoEnabled = (config: Config): boolean => config.demo ?? config.databaseUrl === undefined;

export const demoSimulatorPort = 8081;
const demoActor = 'demo';

const demoModules = [
  { name: 'Demo MSK (msk-kvm-1)', clusterId: 1, sort: 10 },
  { name: 'Demo AMS (ams-kvm-2)', clusterId: 2, sort: 20 },
] as const;

/** What the demo set up; passed to `onDemoReady` (e.g. to create an admin account). */
export interface DemoInfo {
  simulator: VmmanagerSimulator;
  modules: ProcessingModule[];
  tariffs: Tariff[];
  /** True on the first start (the data directory was new to the demo). */
  firstStart: boolean;
}

export interface DemoOptions {
  /** Preferred simulator port (default 8081; any free port when taken). */
  simulatorPort?: number;
  /** The sync schedule of the demo modules it creates (default: a new module's, every 30 seconds). */
  syncSchedule?: string;
  print: (text: string) => void;
  onDemoReady?: (info: DemoInfo, print: (text: string) => void) => Promise<void> | void;
}

async function startDemoSimulator(dataDir: string, port: number): Promise<VmmanagerSimulator> {
  const stateFile = join(dataDir, 'demo-vmmanager6.json');
  try {
    return await startVmmanagerSimulator({ port, stateFile, seed: 'default' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return startVmmanagerSimulator({ port: 0, stateFile, seed: 'default' });
  }
}

// Idempotent: a module of the same name is reused (pointed at the simulator's current address).
async function ensureModules(
  app: App,
  sim: VmmanagerSimulator,
  schedule: string,
): Promise<ProcessingModule[]> {
  const existing = await app.modules.listModules();
  const modules: ProcessingModule[] = [];
  for (const spec of demoModules) {
    const found = existing.find((m) => m.name === spec.name);
    if (found) {
      modules.push(
        found.url === sim.url
          ? found
          : // A new URL takes the password again (it is the simulator's own, not a stored secret).
            await app.modules.updateModule(found.id, { url: sim.url, password: sim.password }, demoActor),
      );
      continue;
    }
    const input = {
      ...spec,
      url: sim.url,
      adminEmail: sim.email,
      password: sim.password,
      schedule,
    };
    modules.push((await app.onboarding.addModuleWithInitialSync(input, demoActor)).module);
  }
  return modules;
}

async function ensureTariffs(app: App, modules: ProcessingModule[]): Promise<Tariff[]> {
  const [msk, ams] = modules as [ProcessingModule, ProcessingModule];
  const specs = [
    { name: 'Demo VPS MSK 20 GB', diskMib: 20_480, moduleIds: [msk.id] },
    { name: 'Demo VPS AMS 20 GB', diskMib: 20_480, moduleIds: [ams.id] },
    { name: 'Demo VPS Anywhere 60 GB', diskMib: 61_440, moduleIds: [msk.id, ams.id] },
  ];
  const existing = await app.tariffs.listTariffs();
  const tariffs: Tariff[] = [];
  for (const spec of specs) {
    tariffs.push(
      existing.find((t) => t.name === spec.name) ?? (await app.tariffs.createTariff(spec, demoActor)),
    );
  }
  return tariffs;
}

function describeDemo(info: DemoInfo, serviceUrl: string, templateCount: number): string {
  const sim = info.simulator.url;
  const anywhere = info.tariffs[2]!.id;
  return [
    '',
    `Demo mode (no configuration found; OSCAT_DEMO=0 turns it off) — ${info.firstStart ? 'set up now' : 'reusing the data from the last start'}`,
    `  service:    ${serviceUrl}`,
    `  VMmanager:  ${sim}  simulated (login ${info.simulator.email} / ${info.simulator.password}, state kept in the data directory)`,
    `  modules:    ${info.modules.map((m) => `${m.id} ${m.name}`).join(', ')}  (synced every 5 minutes)`,
    `  tariffs:    ${info.tariffs.map((t) => `${t.id} ${t.name}`).join(', ')}`,
    `  catalog:    ${templateCount} OS templates`,
    '',
    'Try, in another terminal (the CLI runs its commands inside this server):',
    '  npx os-catalog templates list',
    `  npx os-catalog tariffs os ${anywhere}`,
    `  curl -s -X POST ${sim}/_sim/templates -d '{"name":"Arch Linux","clusterIds":[2],"hddMibRequired":4096}'`,
    '  npx os-catalog sync --dry-run',
    '  npx os-catalog sync',
    `  curl -s -X PATCH ${sim}/_sim/repositories/1 -d '{"name":"ISPSYSTEM"}'   # a case-only rename upstream`,
    '  npx os-catalog sync            # held: it would disconnect most templates (exit code 2)',
    '  npx os-catalog sync history',
    `  curl -s -X POST ${sim}/_sim/faults -d '{"kind":"http_error","status":503,"path":"/vm/v3/os","times":"always"}'`,
    '',
  ].join('\n');
}

/**
 * The demo `npm start` runs with no configuration: a VMmanager 6 simulator in this process, two
 * modules (one per simulated cluster) with their initial sync, a tariff on each and one on both.
 * A second start reuses everything. Returns a function that stops the simulator.
 */
export async function startDemo(
  app: App,
  config: Config,
  serviceUrl: string,
  options: DemoOptions,
): Promise<{ info: DemoInfo; stop(): Promise<void> }> {
  const simulator = await startDemoSimulator(config.dataDir, options.simulatorPort ?? demoSimulatorPort);
  try {
    const firstStart = (await app.modules.listModules()).length === 0;
    const modules = await ensureModules(app, simulator, options.syncSchedule ?? defaultSyncSchedule);
    const tariffs = await ensureTariffs(app, modules);
    const info: DemoInfo = { simulator, modules, tariffs, firstStart };
    const templates = await app.catalog.listTemplates({});
    options.print(describeDemo(info, serviceUrl, templates.length));
    await options.onDemoReady?.(info, options.print);
    return { info, stop: () => simulator.close() };
  } catch (error) {
    await simulator.close();
    throw error;
  }
}
