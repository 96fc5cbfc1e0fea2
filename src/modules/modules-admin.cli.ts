import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import {
  cliActor,
  formatFields,
  formatWhen,
  parseId,
  registerIdCommand,
  runAndPrint,
  withExamples,
} from '../cli/cli-command.js';
import { parseIntFlag, safe } from '../cli/cli-io.js';
import { invalidInput } from '../shared/errors.js';
import { parsePolicy, readSecret } from './modules-add.cli.js';
import type { ModuleUpdate, ProcessingModule } from './modules.schema.js';

/** One line about a changed module. */
export const formatModuleLine = (m: ProcessingModule): string =>
  safe`module ${m.id} (${m.name}): ${m.url} as ${m.adminEmail}, cluster ${m.clusterId ?? 'any'}, ` +
  safe`${m.enabled ? 'enabled' : 'disabled'}, schedule "${m.schedule}", new templates: ${m.newTemplatePolicy}\n`;

const formatModule = (m: ProcessingModule): string =>
  formatFields([
    ['id', m.id],
    ['name', m.name],
    ['url', m.url],
    ['admin email', m.adminEmail],
    ['signs in with', m.authMethod === 'token' ? 'API token' : 'password'],
    ['cluster', m.clusterId ?? 'any'],
    ['sort', m.sort],
    ['enabled', m.enabled],
    ['verify TLS', m.verifyTls],
    ['schedule', m.schedule],
    ['new templates', m.newTemplatePolicy],
    ['guard share', m.guardMaxDisconnectShare],
    ['connect timeout', `${m.connectTimeoutMs} ms`],
    ['request timeout', `${m.requestTimeoutMs} ms`],
    ['webhook', m.webhookUrl],
    ['last success', formatWhen(m.health.lastSuccessAt)],
    ['last failure', formatWhen(m.health.lastFailureAt)],
    ['failure', m.health.lastFailureMessage],
    ['failures in a row', m.health.consecutiveFailures],
    ['scheduled syncs skipped until', formatBackoff(m)],
  ]);

/** When a failing module's scheduled syncs resume, if that is still ahead (else nothing). */
export const formatBackoff = (m: ProcessingModule, now = new Date()): string | null => {
  const until = m.health.backoffUntil;
  return until && until > now ? formatWhen(until) : null;
};

interface EditFlags {
  name?: string;
  url?: string;
  email?: string;
  passwordStdin?: boolean;
  tokenStdin?: boolean;
  cluster?: string;
  sort?: string;
  verifyTls?: boolean;
  schedule?: string;
  policy?: string;
  guardShare?: string;
  connectTimeoutMs?: string;
  requestTimeoutMs?: string;
  maxAnswerBytes?: string;
  includeNoOs?: boolean;
  webhook?: string;
  json?: boolean;
}

/** `none` clears a nullable setting. */
const orNull = <T>(value: string, parse: (v: string) => T): T | null =>
  value === 'none' ? null : parse(value);

function parseShare(value: string): number {
  const share = Number(value);
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(value) || Number.isNaN(share)) {
    throw invalidInput(`--guard-share must be a number from 0 to 1, not "${value}"`, {
      field: '--guard-share',
    });
  }
  return share;
}

async function toModuleUpdate(ctx: CliContext, flags: EditFlags): Promise<ModuleUpdate> {
  const update: ModuleUpdate = {
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.url !== undefined ? { url: flags.url } : {}),
    ...(flags.email !== undefined ? { adminEmail: flags.email } : {}),
    ...(flags.cluster !== undefined
      ? { clusterId: orNull(flags.cluster, (v) => parseId(v, '--cluster')) }
      : {}),
    ...(flags.sort !== undefined ? { sort: parseIntFlag(flags.sort, '--sort') } : {}),
    ...(flags.verifyTls !== undefined ? { verifyTls: flags.verifyTls } : {}),
    ...(flags.schedule !== undefined ? { schedule: flags.schedule } : {}),
    ...(flags.policy !== undefined ? { newTemplatePolicy: parsePolicy(flags.policy) } : {}),
    ...(flags.guardShare !== undefined ? { guardMaxDisconnectShare: parseShare(flags.guardShare) } : {}),
    ...(flags.connectTimeoutMs !== undefined
      ? { connectTimeoutMs: parseIntFlag(flags.connectTimeoutMs, '--connect-timeout-ms') }
      : {}),
    ...(flags.requestTimeoutMs !== undefined
      ? { requestTimeoutMs: parseIntFlag(flags.requestTimeoutMs, '--request-timeout-ms') }
      : {}),
    ...(flags.includeNoOs !== undefined ? { includeNoOs: flags.includeNoOs } : {}),
    ...(flags.maxAnswerBytes !== undefined
      ? { maxAnswerBytes: parseIntFlag(flags.maxAnswerBytes, '--max-answer-bytes') }
      : {}),
    ...(flags.webhook !== undefined ? { webhookUrl: orNull(flags.webhook, (v) => v) } : {}),
  };
  if (flags.passwordStdin || flags.tokenStdin) Object.assign(update, await readSecret(ctx, flags));
  if (Object.keys(update).length === 0)
    throw invalidInput('give at least one setting to change (see --help)');
  return update;
}

function registerEdit(modules: Command, ctx: CliContext): void {
  withExamples(
    modules
      .command('edit')
      .description('change a processing module (the password only ever comes from standard input)')
      .argument('<id>', 'module id')
      .option('--name <name>', 'module name')
      .option('--url <url>', 'VMmanager 6 address')
      .option('--email <email>', 'VMmanager administrator email')
      .option('--password-stdin', 'read a new administrator password from standard input')
      .option('--token-stdin', 'read a VMmanager API token from standard input (sign in with it from now on)')
      .option('--cluster <id>', 'only templates enabled on this cluster ("none": every cluster)')
      .option('--sort <n>', 'module order (the lowest-sort module builds a template)')
      .option('--verify-tls', 'check the certificate (the default)')
      .option('--insecure-tls', 'accept a self-signed certificate')
      .option(
        '--schedule <cron>',
        'sync schedule, e.g. "*/30 * * * * *" (every 30 s) or "54 * * * *" (hourly)',
      )
      .option('--policy <policy>', 'new templates: enable (offer at once) or hold (await review)')
      .option('--guard-share <share>', 'hold a sync that would disconnect more than this share (0–1)')
      .option('--connect-timeout-ms <ms>', 'connection timeout')
      .option('--request-timeout-ms <ms>', 'request timeout')
      .option('--include-no-os', "also offer VMmanager's NoOS pseudo-template")
      .option('--no-include-no-os', 'stop offering the NoOS pseudo-template')
      .option('--max-answer-bytes <n>', 'largest VMmanager answer accepted, in bytes')
      .option('--webhook <url>', 'alert webhook of this module ("none" to remove it)')
      .option('--json', 'print JSON'),
    'os-catalog modules edit 2 --schedule "*/30 * * * *" --policy hold',
    "printf '%s\\n' 'new password' | os-catalog modules edit 2 --password-stdin",
    'os-catalog modules edit 2 --token-stdin < vmmanager-token.txt',
  ).action(async (id: string, flags: EditFlags & { insecureTls?: boolean }) => {
    const moduleId = parseId(id, 'id');
    if (flags.insecureTls && flags.verifyTls) throw invalidInput('use either --verify-tls or --insecure-tls');
    const update = await toModuleUpdate(ctx, {
      ...flags,
      ...(flags.insecureTls ? { verifyTls: false } : {}),
    });
    await runAndPrint(
      ctx,
      'modules edit',
      flags,
      (app) => app.modules.updateModule(moduleId, update, cliActor),
      formatModuleLine,
    );
  });
}

/** `os-catalog modules show|edit|disable|enable`. */
export function registerModuleAdminCommands(modules: Command, ctx: CliContext): void {
  registerIdCommand(modules, ctx, {
    name: 'show',
    description: 'one processing module with its settings and health',
    idOf: 'module id',
    call: (app, id) => app.modules.getModule(id),
    human: formatModule,
  });
  registerEdit(modules, ctx);
  for (const action of ['disable', 'enable'] as const) {
    registerIdCommand(modules, ctx, {
      name: action,
      description:
        action === 'disable'
          ? 'disable a module: no syncs, its templates not orderable through it'
          : 'enable a module again',
      idOf: 'module id',
      call: (app, id) => app.modules.setModuleEnabled(id, action === 'enable', cliActor),
      human: formatModuleLine,
    });
  }
}
