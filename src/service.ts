import { createApp, type App } from './app.js';
import type { Config } from './config.js';
import { openStorage, type OpenedStorage } from './db/open.js';
import { buildHttpServer, type HttpServer } from './http/http.server.js';
import { createForwardedCliRunner, startControlEndpoint } from './cli/forward-server.js';
import { createLogger } from './shared/logger.js';

export interface RunningService {
  app: App;
  storage: OpenedStorage;
  http: HttpServer;
  url: string;
  stop(): Promise<void>;
}

/** Starts the whole service: storage, app, HTTP server. Used by `os-catalog serve` and `npm start`. */
export async function startService(config: Config): Promise<RunningService> {
  const logger = createLogger({ level: config.logLevel });
  const storage = await openStorage(config, 'os-catalog serve');
  const app = createApp({ database: storage.database, secrets: storage.secrets, logger });
  const http = await buildHttpServer(app);
  const address = await http.listen({ port: config.port, host: config.host });
  const url = address.replace('[::1]', 'localhost');
  // On PGlite this process owns the data directory: the CLI forwards its commands here.
  const control = storage.lock
    ? await startControlEndpoint({
        dataDir: config.dataDir,
        lock: storage.lock,
        run: createForwardedCliRunner(app),
        logger,
      })
    : undefined;
  let stopped = false;
  return {
    app,
    storage,
    http,
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await control?.close();
      await http.close();
      await storage.close();
    },
  };
}
