import type { App } from '../app.js';
import type { Database } from '../db/database.js';
import type { CliIo } from './cli-io.js';

/**
 * How a command gets the app: a standalone CLI opens the storage itself and closes it after; a
 * server running a forwarded command lends its own app.
 */
export interface AppProvider {
  withApp<T>(command: string, run: (app: App) => Promise<T>): Promise<T>;
  /** The database as it is, not migrated (backup): the standalone CLI opens it without the app. */
  withDatabase<T>(command: string, run: (database: Database) => Promise<T>): Promise<T>;
}

/** An AppProvider that lends an app already running (the server, tests). */
export const lendApp = (app: App): AppProvider => ({
  withApp: (_command, run) => run(app),
  withDatabase: (_command, run) => run(app.database),
});

/** Runs one CLI invocation and returns its exit code (`main.ts:runCli`). */
export type RunCli = (argv: string[], io: CliIo, apps: AppProvider) => Promise<number>;

/** What every command registrar receives. */
export interface CliContext {
  io: CliIo;
  apps: AppProvider;
  /** Sets the process exit code of this invocation (commands return normally). */
  setExitCode(code: number): void;
  /** The CLI itself, for `serve` to run forwarded commands with (passed in: no import cycle). */
  runCli: RunCli;
}
