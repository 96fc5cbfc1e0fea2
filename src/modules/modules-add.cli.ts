import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { parseIntFlag, printHuman, printJson, safe } from '../cli/cli-io.js';
import { withExamples } from '../cli/cli-command.js';
import { invalidInput } from '../shared/errors.js';
import { exitCodeOfOutcome, formatRunSummary, formatStage } from '../sync/sync-summary.cli.js';
import type { ModuleCreate, NewTemplatePolicy } from './modules.schema.js';
import type { OnboardingStage } from './module-onboarding.service.js';
import { defaultSyncSchedule } from './sync-schedule.js';

interface AddFlags {
  name: string;
  url: string;
  email: string;
  passwordStdin?: boolean;
  tokenStdin?: boolean;
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

/**
 * The module's secret from standard input (so it never shows in `ps` or the shell history):
 * the password with `--password-stdin`, a VMmanager API token with `--token-stdin`; exactly one.
 */
export async function readSecret(
  ctx: CliContext,
  flags: { passwordStdin?: boolean; tokenStdin?: boolean },
): Promise<{ password: string } | { apiToken: string }> {
  if (flags.passwordStdin && flags.tokenStdin)
    throw invalidInput('use either --password-stdin or --token-stdin', { field: 'password' });
  if (flags.tokenStdin) return { apiToken: await readPasswordFromStdin(ctx, '--token-stdin') };
  if (!flags.passwordStdin)
    throw invalidInput('give the password with --password-stdin (or an API token with --token-stdin)', {
      field: 'password',
    });
  return { password: await readPasswordFromStdin(ctx) };
}

/** The secret of `--password-stdin` (or `--token-stdin`): standard input without its final line break. */
export async function readPasswordFromStdin(ctx: CliContext, flag = '--password-stdin'): Promise<string> {
  const text = await ctx.io.readStdin();
  const secret = text?.replace(/\r?\n$/, '') ?? '';
  if (secret === '')
    throw invalidInput(`${flag} read nothing`, { field: flag === '--token-stdin' ? 'apiToken' : 'password' });
  return secret;
}

function toModuleCreate(flags: AddFlags, secret: { password: string } | { apiToken: string }): ModuleCreate {
  return {
    name: flags.name,
    url: flags.url,
    adminEmail: flags.email,
    ...secret,
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
  withExamples(
    modules
      .command('add')
      .description('add a processing module: test the connection, create it and run its initial sync')
      .requiredOption('--name <name>', 'module name')
      .requiredOption('--url <url>', 'VMmanager 6 address, e.g. https://vm.example.com')
      .requiredOption('--email <email>', 'VMmanager administrator email')
      .option('--password-stdin', 'read the administrator password from standard input')
      .option('--token-stdin', 'read a VMmanager API token (instead of the password) from standard input')
      .option('--cluster <id>', 'only templates enabled on this cluster')
      .option('--sort <n>', 'module order (the lowest-sort module builds a template)')
      .option('--insecure-tls', 'accept a self-signed certificate')
      .option(
        '--schedule <cron>',
        `sync schedule (default "${defaultSyncSchedule}": every 30 s; BILLmanager's is "54 * * * *")`,
      )
      .option('--policy <policy>', 'new templates: enable (offer at once) or hold (await review)')
      .option('--include-no-os', "also offer VMmanager's NoOS pseudo-template (a VM without an OS)")
      .option('--json', 'print JSON'),
    "printf '%s\\n' 'password' | os-catalog modules add --name msk --url https://vm.example.com --email admin@example.com --password-stdin",
    'os-catalog modules add --name ams --url https://vm2.example.com/vm/v3/ --email admin@example.com --token-stdin < vmmanager-token.txt',
  ).action(async (flags: AddFlags) => {
    const input = toModuleCreate(flags, await readSecret(ctx, flags));
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
