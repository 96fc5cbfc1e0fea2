import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { parseIntFlag, printHuman, printJson, safe } from '../cli/cli-io.js';
import { invalidInput } from '../shared/errors.js';
import { exitCodeOfOutcome, formatRunSummary, formatStage } from '../sync/sync-summary.cli.js';
import type { ModuleCreate, NewTemplatePolicy } from './modules.schema.js';
import type { OnboardingStage } from './module-onboarding.service.js';

interface AddFlags {
  name: string;
  url: string;
  email: string;
  passwordStdin?: boolean;
  cluster?: string;
  sort?: string;
  insecureTls?: boolean;
  schedule?: string;
  policy?: string;
  includeNoOs?: boolean;
  json?: boolean;
}

const policies: readonly string[] = ['enable', 'hold'] satisfies NewTemplatePolicy[];

const stageLine = (stage: OnboardingStage): string => {
  if (stage === 'testing_connection') return '  … testing the connection\n';
  if (stage === 'creating') return '  … creating the module\n';
  return formatStage(stage);
};

/** `--policy`: enable or hold. */
export function parsePolicy(value: string): NewTemplatePolicy {
  if (!policies.includes(value)) {
    throw invalidInput(`--policy must be enable or hold, not "${value}"`, { field: '--policy' });
  }
  return value as NewTemplatePolicy;
}

// The password only ever arrives on stdin, so it never shows in `ps` or the shell history.
async function readPassword(ctx: CliContext, flags: AddFlags): Promise<string> {
  if (!flags.passwordStdin)
    throw invalidInput('give the password on standard input with --password-stdin', { field: 'password' });
  return readPasswordFromStdin(ctx);
}

/** The password of `--password-stdin`: standard input without its final line break. */
export async function readPasswordFromStdin(ctx: CliContext): Promise<string> {
  const text = await ctx.io.readStdin();
  const password = text?.replace(/\r?\n$/, '') ?? '';
  if (password === '') throw invalidInput('--password-stdin read no password', { field: 'password' });
  return password;
}

function toModuleCreate(flags: AddFlags, password: string): ModuleCreate {
  return {
    name: flags.name,
    url: flags.url,
    adminEmail: flags.email,
    password,
    ...(flags.cluster !== undefined
      ? { clusterId: parseIntFlag(flags.cluster, '--cluster', { min: 1 }) }
      : {}),
    ...(flags.sort !== undefined ? { sort: parseIntFlag(flags.sort, '--sort') } : {}),
    ...(flags.insecureTls ? { verifyTls: false } : {}),
    ...(flags.schedule !== undefined ? { schedule: flags.schedule } : {}),
    ...(flags.policy !== undefined ? { newTemplatePolicy: parsePolicy(flags.policy) } : {}),
    ...(flags.includeNoOs ? { includeNoOs: true } : {}),
  };
}

/** `os-catalog modules add`: BILLmanager's module wizard — connection test, create, initial sync. */
export function registerModulesAddCommand(modules: Command, ctx: CliContext): void {
  modules
    .command('add')
    .description('add a processing module: test the connection, create it and run its initial sync')
    .requiredOption('--name <name>', 'module name')
    .requiredOption('--url <url>', 'VMmanager 6 address, e.g. https://vm.example.com')
    .requiredOption('--email <email>', 'VMmanager administrator email')
    .option('--password-stdin', 'read the administrator password from standard input')
    .option('--cluster <id>', 'only templates enabled on this cluster')
    .option('--sort <n>', 'module order (the lowest-sort module builds a template)')
    .option('--insecure-tls', 'accept a self-signed certificate')
    .option('--schedule <cron>', 'sync schedule (default "54 * * * *")')
    .option('--policy <policy>', 'new templates: enable (offer at once) or hold (await review)')
    .option('--include-no-os', "also offer VMmanager's NoOS pseudo-template (a VM without an OS)")
    .option('--json', 'print JSON')
    .action(async (flags: AddFlags) => {
      const input = toModuleCreate(flags, await readPassword(ctx, flags));
      await ctx.apps.withApp('modules add', async (app) => {
        const result = await app.onboarding.addModuleWithInitialSync(
          input,
          'cli',
          flags.json ? undefined : (stage) => printHuman(ctx.io, stageLine(stage)),
        );
        if (flags.json) {
          printJson(ctx.io, [{ module: result.module, connection: result.connection, sync: result.sync }]);
        } else {
          printHuman(
            ctx.io,
            safe`module ${result.module.id} (${result.module.name}) added at ${result.module.url}; connected as ${result.connection.email}\n`,
          );
          for (const warning of result.connection.warnings)
            printHuman(ctx.io, safe`warning: ${warning}\n`, 'err');
          printHuman(ctx.io, formatRunSummary(result.sync, result.module.name));
        }
        ctx.setExitCode(exitCodeOfOutcome(result.sync.outcome));
      });
    });
}
