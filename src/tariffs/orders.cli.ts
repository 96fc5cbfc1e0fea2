import type { Command } from 'commander';
import type { App } from '../app.js';
import type { CliContext } from '../cli/cli-context.js';
import { formatFields, withExamples } from '../cli/cli-command.js';
import { CliExit, exitCodes, parseIntFlag, printHuman, printJson, safe } from '../cli/cli-io.js';
import { notFound } from '../shared/errors.js';
import { parsePurpose } from './tariffs.cli.js';
import type { OrderCheck, OrderCheckResult, Placement } from './order-check.service.js';

interface CheckFlags {
  tariff: string;
  template: string;
  diskGib?: string;
  ramGib?: string;
  purpose?: string;
  json?: boolean;
}

const isId = (value: string) => /^[1-9][0-9]*$/.test(value);

/** A tariff by id or by its exact name. */
async function resolveTariffId(app: App, value: string): Promise<number> {
  if (isId(value)) return parseIntFlag(value, '--tariff', { min: 1 });
  const found = (await app.tariffs.listTariffs()).find((t) => t.name === value);
  if (!found) throw notFound('tariff', value);
  return found.id;
}

/** A template's internal name, given its id or the name itself. */
async function resolveInternalName(app: App, value: string): Promise<string> {
  if (!isId(value)) return value;
  return (await app.catalog.getTemplate(parseIntFlag(value, '--template', { min: 1 }))).internalName;
}

const gibFlag = (value: string | undefined, flag: string) =>
  value === undefined ? undefined : parseIntFlag(value, flag, { min: 1 }) * 1024;

const placementLine = (p: Placement) =>
  `module ${p.moduleId} (${p.moduleName}), VMmanager template ${p.upstreamId ?? '-'}, cluster ${p.clusterId ?? '-'}`;

function formatVerdict(result: OrderCheckResult): string {
  if (!result.orderable)
    return (
      safe`not orderable: ${result.reason}\n` +
      (result.lifecycle?.replacement ? safe`replacement: ${result.lifecycle.replacement.internalName}\n` : '')
    );
  return (
    formatFields([
      ['orderable', true],
      ['template', result.templateId],
      ['module', `${result.moduleId} (${result.moduleName})`],
      ['VMmanager template', result.upstreamId],
      ['cluster', result.clusterId],
      ['clusters', result.clusterIds.join(', ')],
      ['lifecycle', result.lifecycle ? result.lifecycle.state : 'active'],
    ]) + result.alternatives.map((a) => safe`alternative: ${placementLine(a)}\n`).join('')
  );
}

/** `os-catalog orders check`: the storefront's order check, from the CLI. */
export function registerOrdersCommands(program: Command, ctx: CliContext): void {
  const orders = program.command('orders').description('orders as the storefront checks them');
  withExamples(
    orders
      .command('check')
      .description(
        `would this order be built, and where? exit 0 orderable, ${exitCodes.notOrderable} not orderable`,
      )
      .requiredOption('--tariff <id|name>', 'tariff id or exact name')
      .requiredOption('--template <id|internal name>', 'template id or internal name')
      .option('--disk-gib <n>', 'disk size the customer chose, in GiB')
      .option('--ram-gib <n>', 'RAM size the customer chose, in GiB')
      .option('--purpose <purpose>', 'order (default) or reinstall (deprecated templates allowed)')
      .option('--json', 'print the check answer as JSON'),
    'os-catalog orders check --tariff VPS-1 --template "ISPsystem__Ubuntu 24.04" --disk-gib 20',
    'os-catalog orders check --tariff 3 --template 12 --purpose reinstall --json',
  ).action(async (flags: CheckFlags) => {
    const purpose = flags.purpose === undefined ? undefined : parsePurpose(flags.purpose);
    const diskMib = gibFlag(flags.diskGib, '--disk-gib');
    const ramMib = gibFlag(flags.ramGib, '--ram-gib');
    const result = await ctx.apps.withApp('orders check', async (app) => {
      const order: OrderCheck = {
        tariffId: await resolveTariffId(app, flags.tariff),
        internalName: await resolveInternalName(app, flags.template),
        ...(diskMib !== undefined ? { diskMib } : {}),
        ...(ramMib !== undefined ? { ramMib } : {}),
        ...(purpose !== undefined ? { purpose } : {}),
      };
      const answer = await app.orders.checkOrder(order);
      if (flags.json) printJson(ctx.io, answer);
      else printHuman(ctx.io, formatVerdict(answer));
      return answer;
    });
    if (!result.orderable) throw new CliExit(exitCodes.notOrderable);
  });
}
