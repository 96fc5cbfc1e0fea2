import { createApp, type App } from './app.js';
import type { Config } from './config.js';
import { openStorage, type OpenedStorage } from './db/open.js';
import { buildHttpServer, type HttpServer } from './http/http.server.js';
import { createAppScheduler } from './jobs/app-scheduler.js';
import { startControlEndpoint, type ForwardedRunner } from './cli/forward-server.js';
import { createLogger } from './shared/logger.js';
import { isDemoEnabled, startDemo, type DemoOptions } from './demo/demo.js';
import { demoAdminEmail, ensureDemoAdmin } from './auth/demo-admin.js';

export interface RunningService {
  app: App;
  storage: OpenedStorage;
  http: HttpServer;
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  demo?: Partial<DemoOptions>;
  /**
   * How a CLI command forwarded to this server runs (`serve` passes the CLI itself). Without it
   * (an in-process test) no control endpoint listens and a CLI meets the lock message.
   */
  forwardCli?: (app: App) => ForwardedRunner;
}

/** Starts the whole service: storage, app, HTTP server. Used by `os-catalog serve` and `npm start`. */
export async function startService(config: Config, options: StartOptions = {}): Promise<RunningService> {
  const logger = createLogger({ level: config.logLevel });
  const storage = await openStorage(config, 'os-catalog serve', { logger });
  const app = createApp({
    database: storage.database,
    secrets: storage.secrets,
    logger,
    alertWebhook: config.alertWebhook,
    outboundAllow: config.outboundAllow,
    retention: config.retention,
  });
  const http = await buildHttpServer(app);
  const address = await http.listen({ port: config.port, host: config.host });
  const url = address.replace('[::1]', 'localhost');
  // On PGlite this process owns the data directory: the CLI forwards its commands here.
  const control =
    storage.lock && options.forwardCli
      ? await startControlEndpoint({
          dataDir: config.dataDir,
          lock: storage.lock,
          run: options.forwardCli(app),
          logger,
        })
      : undefined;
  // The demo (no configuration): a simulated VMmanager, modules, tariffs, initial sync.
  const demo = isDemoEnabled(config)
    ? await startDemo(app, config, url, {
        print: (text) => void process.stdout.write(text + '\n'),
        onDemoReady: (_info, print) => printDemoAdmin(app, print),
        ...options.demo,
      })
    : undefined;
  const scheduler = createAppScheduler(app, config.instanceId ? { instanceId: config.instanceId } : {});
  await scheduler.start();
  let stopped = false;
  return {
    app,
    storage,
    http,
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await scheduler.stop();
      await demo?.stop();
      await control?.close();
      await http.close();
      await app.sync.close();
      await app.webhookDelivery.close();
      await storage.close();
    },
  };
}

/** The demo's admin account: its password is printed on the first start only. */
async function printDemoAdmin(app: App, print: (text: string) => void): Promise<void> {
  const admin = await ensureDemoAdmin(app);
  if (admin) {
    print(`Admin login (shown once, keep it): ${admin.email} / ${admin.password}`);
  } else {
    print(
      `Admin login: ${demoAdminEmail} (its password was printed on the first start; ` +
        'add another admin with `npx os-catalog admin create --email you@example.com`)',
    );
  }
}
