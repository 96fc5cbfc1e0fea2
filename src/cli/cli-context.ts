import type { App } from '../app.js';
import type { CliIo } from './cli-io.js';

/**
 * How a command gets the app: a standalone CLI opens the storage itself and closes it after; a
 * server running a forwarded command lends its own app.
 */
export interface AppProvider {
  withApp<T>(command: string, run: (app: App) => Promise<T>): Promise<T>;
}

/** What every command registrar receives. */
export interface CliContext {
  io: CliIo;
  apps: AppProvider;
  /** Sets the process exit code of this invocation (commands return normally). */
  setExitCode(code: number): void;
}
