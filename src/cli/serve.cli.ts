import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { startService } from '../service.js';
import { lendApp, type CliContext } from './cli-context.js';
import { printHuman } from './cli-io.js';

/** `os-catalog serve` (what `npm start` runs): the HTTP server and scheduler until SIGINT/SIGTERM. */
export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the service (HTTP API, admin UI, scheduled syncs)')
    .action(async () => {
      const config = loadConfig();
      const service = await startService(config, {
        // A forwarded command runs the very same CLI, on the server's own app.
        forwardCli: (app) => (argv, io) => ctx.runCli(argv, io, lendApp(app)),
      });
      printHuman(ctx.io, `os-catalog listening on ${service.url}\n`);
      const stop = (): void => {
        void service.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
