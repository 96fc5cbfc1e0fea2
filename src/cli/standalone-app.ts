import { createApp, type App } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, openStorage } from '../db/open.js';
import { createLogger, stderrDestination } from '../shared/logger.js';
import type { AppProvider } from './cli-context.js';

/** A CLI command's logger: on standard error, and quieter than the server's by default. */
const cliLogger = (config: Config) =>
  createLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    destination: stderrDestination(),
  });

/** Opens the configured storage for one CLI command, builds the app, and closes it afterwards. */
export const standaloneApps: AppProvider = {
  async withApp(command, run) {
    const config = loadConfig();
    const logger = cliLogger(config);
    const storage = await openStorage(config, `os-catalog ${command}`, { logger });
    const app: App = createApp({
      database: storage.database,
      secrets: storage.secrets,
      logger,
      outboundAllow: config.outboundAllow,
      retention: config.retention,
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
    const config = loadConfig();
    const opened = await openDatabase(config, `os-catalog ${command}`, { logger: cliLogger(config) });
    try {
      return await run(opened.database);
    } finally {
      await opened.close();
    }
  },
};
