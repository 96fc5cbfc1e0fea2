import { registerRetentionCommands } from '../retention/retention.cli.js';
import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config.js';
import { openStorage } from '../db/open.js';
import { registerTemplatesCommands } from '../catalog/catalog.cli.js';
import { registerProductTypesCommands } from '../catalog/product-types.cli.js';
import { registerAuditCommands } from '../audit/audit.cli.js';
import { registerModulesCommands } from '../modules/modules.cli.js';
import { registerModulesAddCommand } from '../modules/modules-add.cli.js';
import { registerModuleAdminCommands } from '../modules/modules-admin.cli.js';
import { registerModuleTestCommands } from '../modules/modules-test.cli.js';
import { registerSyncCommands } from '../sync/sync.cli.js';
import { registerTariffsCommands } from '../tariffs/tariffs.cli.js';
import { registerOrdersCommands } from '../tariffs/orders.cli.js';
import { registerSimulatorCommand } from '../vmmanager6/simulator.cli.js';
import { registerAuthCommands } from '../auth/auth.cli.js';
import { registerServeCommand } from './serve.cli.js';
import { registerBackupCommands } from '../backup/backup.cli.js';
import { registerWebhooksCommands } from '../webhooks/webhooks.cli.js';
import type { AppProvider, CliContext } from './cli-context.js';
import { CliExit, type CliIo, describeError, exitCodes, printHuman, processIo } from './cli-io.js';
import { nameFlagInError } from './flag-errors.js';
import { standaloneApps } from './standalone-app.js';
import { forwardIfServerRuns } from './forward.js';

/** Builds the whole command tree; every command is a thin shell over the services. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('os-catalog')
    .description('OS-template catalog for VPS ordering, kept in sync with VMmanager 6')
    .showHelpAfterError('(add --help for usage)')
    // Lets a command with its own options have subcommands with the same option names (`sync`).
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => printHuman(ctx.io, s),
      writeErr: (s) => printHuman(ctx.io, s, 'err'),
    });

  program
    .command('migrate')
    .description('apply pending database migrations (also done at every start)')
    .action(async () => {
      const storage = await openStorage(loadConfig(), 'os-catalog migrate');
      await storage.close();
      printHuman(ctx.io, 'migrations applied\n');
    });
  registerServeCommand(program, ctx);
  registerTemplatesCommands(program, ctx);
  registerTariffsCommands(program, ctx);
  registerOrdersCommands(program, ctx);
  const modules = registerModulesCommands(program, ctx);
  registerModulesAddCommand(modules, ctx);
  registerModuleAdminCommands(modules, ctx);
  registerModuleTestCommands(modules, ctx);
  registerSyncCommands(program, ctx);
  registerSimulatorCommand(program);
  registerAuthCommands(program, ctx);
  registerBackupCommands(program, ctx);
  registerProductTypesCommands(program, ctx);
  registerAuditCommands(program, ctx);
  registerWebhooksCommands(program, ctx);
  registerRetentionCommands(program, ctx);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/**
 * Runs one CLI invocation and returns its exit code: 0 success, 1 error (one line on stderr),
 * 2 sync held, 64 bad usage.
 */
export async function runCli(
  argv: string[],
  io: CliIo = processIo,
  apps: AppProvider = standaloneApps,
): Promise<number> {
  if (apps === standaloneApps) {
    // A server owning the PGlite data directory runs the command in-process instead.
    const forwarded = await forwardIfServerRuns(argv, io);
    if (forwarded !== undefined) return forwarded;
  }
  let exitCode: number = exitCodes.ok;
  const ctx: CliContext = { io, apps, setExitCode: (code) => void (exitCode = code), runCli };
  const program = buildProgram(ctx);
  // The command whose action runs: its options are the flags an error about a field can name.
  let running: Command | undefined;
  program.hook('preAction', (_program, actionCommand) => void (running = actionCommand));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CliExit) return error.exitCode;
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      )
        return 0;
      return exitCodes.usage;
    }
    io.err(describeError(nameFlagInError(error, running)) + '\n');
    return exitCodes.error;
  }
}
