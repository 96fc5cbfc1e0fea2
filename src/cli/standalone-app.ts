import { createApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import { openDatabase, openStorage } from '../db/open.js';
import { createLogger, stderrDestination } from '../shared/logger.js';
import type { AppProvider } from './cli-context.js';

/** Opens the configured storage for one CLI command, builds the app, and closes it afterwards. */
export const standaloneApps: AppProvider = {
  async withApp(command, run) {
    const config = loadConfig();
    const storage = await openStorage(config, `os-catalog ${command}`);
    const app: App = createApp({
      database: storage.database,
      secrets: storage.secrets,
      logger: createLogger({
        level: config.logLevel === 'info' ? 'warn' : config.logLevel,
        destination: stderrDestination(),
      }),
      outboundAllow: config.outboundAllow,
    });
    try {
      return await run(app);
    } finally {
      await app.sync.close();
      await app.auth.close();
      await storage.close();
    }
  },
  async withDatabase(command, run) {
    const opened = await openDatabase(loadConfig(), `os-catalog ${command}`);
    try {
      return await run(opened.database);
    } finally {
      await opened.close();
    }
  },
};
