import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { startService, type RunningService } from '../service.js';
import type { App } from '../app.js';
import { lendApp, type AppProvider } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import type { ForwardedRunner } from './forward-server.js';
import { runCli } from './main.js';

/** What `serve` gives `startService`: forwarded commands run this CLI on the server's app. */
export const forwardToCli =
  (app: App): ForwardedRunner =>
  (argv, io) =>
    runCli(argv, io, lendApp(app));

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs one CLI invocation in this process and captures what it prints. */
export async function runCliCaptured(
  argv: string[],
  options: { stdin?: string; apps?: AppProvider } = {},
): Promise<CliResult> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    readStdin: async () => options.stdin,
  };
  const code = await runCli(argv, io, options.apps);
  return { code, out, err };
}

/** The one line a failed command prints: `error: … (code)`. */
export const oneLineError = /^error: [^\n]+ \([a-z_]+\)\n$/;

/**
 * Starts the embedded server on a fresh data directory, with forwarded commands running this CLI,
 * and points this process's CLI at it; `stop` ends it and restores the environment.
 */
export async function startForwardingServer(
  prefix: string,
): Promise<{ service: RunningService; stop: () => Promise<void> }> {
  const saved = { ...process.env };
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const service = await startService(
    loadConfig({ OSCAT_DATA_DIR: dataDir, OSCAT_DEMO: '0', OSCAT_PORT: '0', OSCAT_LOG_LEVEL: 'silent' }),
    { forwardCli: forwardToCli },
  );
  process.env.OSCAT_DATA_DIR = dataDir;
  process.env.OSCAT_LOG_LEVEL = 'silent';
  delete process.env.DATABASE_URL;
  return {
    service,
    stop: async () => {
      await service.stop();
      process.env = saved;
    },
  };
}
