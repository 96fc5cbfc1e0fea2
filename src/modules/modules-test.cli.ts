import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { parseId, withExamples } from '../cli/cli-command.js';
import { exitCodes, formatTable, parseIntFlag, printHuman, printJson, safe } from '../cli/cli-io.js';
import { readSecret } from './modules-add.cli.js';
import type { ConnectionSettings, ModuleConnectionTest } from './modules.schema.js';

interface TestConnectionFlags {
  url: string;
  email: string;
  passwordStdin?: boolean;
  tokenStdin?: boolean;
  cluster?: string;
  insecureTls?: boolean;
  connectTimeoutMs?: string;
  requestTimeoutMs?: string;
  maxAnswerBytes?: string;
  json?: boolean;
}

/** What a passed test saw: the account, then the clusters (upstream names through the table printer). */
function formatPassed(result: Extract<ModuleConnectionTest, { ok: true }>): string {
  const roles = result.user.roles.length > 0 ? result.user.roles.join(', ') : 'not reported';
  const lines = [safe`connection ok: ${result.url}, signed in as ${result.user.email} (roles: ${roles})\n`];
  if (result.clusterFound) lines.push("the module's cluster exists\n");
  lines.push(
    formatTable(
      ['CLUSTER', 'NAME', 'VIRTUALIZATION'],
      result.clusters.map((c) => [c.id, c.name, c.virtualizationType]),
    ),
  );
  return lines.join('');
}

/**
 * Prints a connection test's result. A failed test is exit code 1 with its one line on stderr
 * (with `--json` the result still goes to stdout, so scripts can read `reason`); what a passed
 * test could not check goes to stderr as `warning: …` lines, exit code 0.
 */
function printResult(ctx: CliContext, flags: { json?: boolean }, result: ModuleConnectionTest): void {
  if (flags.json) printJson(ctx.io, [result]);
  if (!result.ok) {
    printHuman(ctx.io, safe`error: connection test failed: ${result.message} (${result.reason})\n`, 'err');
    ctx.setExitCode(exitCodes.error);
    return;
  }
  if (!flags.json) printHuman(ctx.io, formatPassed(result));
  for (const warning of result.warnings) printHuman(ctx.io, safe`warning: ${warning}\n`, 'err');
}

async function toConnectionSettings(
  ctx: CliContext,
  flags: TestConnectionFlags,
): Promise<ConnectionSettings> {
  const ms = (value: string | undefined, flag: string) =>
    value === undefined ? undefined : parseIntFlag(value, flag);
  const settings: ConnectionSettings = {
    url: flags.url,
    adminEmail: flags.email,
    ...(await readSecret(ctx, flags)),
    ...(flags.cluster !== undefined ? { clusterId: parseId(flags.cluster, '--cluster') } : {}),
    ...(flags.insecureTls ? { verifyTls: false } : {}),
  };
  const connectTimeoutMs = ms(flags.connectTimeoutMs, '--connect-timeout-ms');
  const requestTimeoutMs = ms(flags.requestTimeoutMs, '--request-timeout-ms');
  const maxAnswerBytes = ms(flags.maxAnswerBytes, '--max-answer-bytes');
  if (connectTimeoutMs !== undefined) settings.connectTimeoutMs = connectTimeoutMs;
  if (requestTimeoutMs !== undefined) settings.requestTimeoutMs = requestTimeoutMs;
  if (maxAnswerBytes !== undefined) settings.maxAnswerBytes = maxAnswerBytes;
  return settings;
}

/** `os-catalog modules test ID` and `modules test-connection`: the API's two connection tests. */
export function registerModuleTestCommands(modules: Command, ctx: CliContext): void {
  withExamples(
    modules
      .command('test')
      .description("test a saved module's connection: log in, check the account and the cluster")
      .argument('<id>', 'module id')
      .option('--json', 'print JSON'),
    'os-catalog modules test 2',
    'os-catalog modules test 2 --json',
  ).action(async (id: string, flags: { json?: boolean }) => {
    const moduleId = parseId(id, 'id');
    await ctx.apps.withApp('modules test', async (app) =>
      printResult(ctx, flags, await app.modules.testModuleConnection(moduleId)),
    );
  });

  withExamples(
    modules
      .command('test-connection')
      .description('test connection settings before adding a module (nothing is stored)')
      .requiredOption('--url <url>', 'VMmanager 6 address, e.g. https://vm.example.com')
      .requiredOption('--email <email>', 'VMmanager administrator email')
      .option('--password-stdin', 'read the administrator password from standard input')
      .option('--token-stdin', 'read a VMmanager API token (instead of the password) from standard input')
      .option('--cluster <id>', 'check that this cluster exists')
      .option('--insecure-tls', 'accept a self-signed certificate')
      .option('--connect-timeout-ms <ms>', 'connection timeout')
      .option('--request-timeout-ms <ms>', 'request timeout')
      .option('--max-answer-bytes <n>', 'largest VMmanager answer accepted, in bytes')
      .option('--json', 'print JSON'),
    "printf '%s\\n' 'password' | os-catalog modules test-connection --url https://vm.example.com --email admin@example.com --password-stdin",
    'os-catalog modules test-connection --url https://vm.example.com --email admin@example.com --password-stdin --cluster 1 --json < pass.txt',
  ).action(async (flags: TestConnectionFlags) => {
    const settings = await toConnectionSettings(ctx, flags);
    await ctx.apps.withApp('modules test-connection', async (app) =>
      printResult(ctx, flags, await app.modules.testConnection(settings)),
    );
  });
}
