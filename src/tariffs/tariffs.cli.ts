import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { formatTable, parseIdList, parseIntFlag, printHuman, printJson } from '../cli/cli-io.js';
import { cliActor, parseId, withExamples } from '../cli/cli-command.js';
import { invalidInput } from '../shared/errors.js';
import type { OrderPurpose } from '../catalog/orderable.rule.js';
import type { OrderableTemplate, TariffUpdate } from './tariffs.schema.js';
import type { Tariff } from './tariffs.schema.js';

const mib = (n: number | null) => (n === null ? null : `${n} MiB`);

/** `--purpose`: order or reinstall, else invalid_input naming the flag. */
export const parsePurpose = (value: string): OrderPurpose => {
  if (value === 'order' || value === 'reinstall') return value;
  throw invalidInput(`--purpose must be order or reinstall, not "${value}"`, { field: '--purpose' });
};

interface OsFlags {
  diskMib?: string;
  ramMib?: string;
  purpose?: string;
  json?: boolean;
}

/** "deprecating until 2027-06-30 → Ubuntu 24.04", "deprecated", or nothing while active. */
const lifecycleText = ({ lifecycle }: OrderableTemplate): string | null => {
  if (lifecycle === null) return null;
  const until = lifecycle.eolAt ? ` until ${lifecycle.eolAt.slice(0, 10)}` : '';
  const replacement = lifecycle.replacement ? ` → ${lifecycle.replacement.displayName}` : '';
  return `${lifecycle.state}${lifecycle.state === 'deprecating' ? until : ''}${replacement}`;
};

/** A size flag: a number of MiB, or "none" (the tariff does not say) where `none` is allowed. */
const sizeFlag = (value: string, flag: string) =>
  value === 'none' ? null : parseIntFlag(value, flag, { min: 1 });

const printTariffs = (ctx: CliContext, tariffs: Tariff[], json: boolean | undefined) => {
  if (json) return printJson(ctx.io, tariffs);
  printHuman(
    ctx.io,
    formatTable(
      ['ID', 'NAME', 'DISK', 'RAM', 'MODULES', 'CLONED FROM'],
      tariffs.map((t) => [
        t.id,
        t.name,
        mib(t.diskMib),
        mib(t.ramMib),
        t.moduleIds.join(',') || null,
        t.clonedFromId,
      ]),
    ),
  );
};

function toTariffUpdate(flags: { name?: string; diskMib?: string; ramMib?: string }): TariffUpdate {
  const update: TariffUpdate = {
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.diskMib !== undefined ? { diskMib: sizeFlag(flags.diskMib, '--disk-mib') } : {}),
    ...(flags.ramMib !== undefined ? { ramMib: sizeFlag(flags.ramMib, '--ram-mib') } : {}),
  };
  if (Object.keys(update).length === 0) throw invalidInput('give --name, --disk-mib or --ram-mib');
  return update;
}

function registerTariffEdit(tariffs: Command, ctx: CliContext): void {
  withExamples(
    tariffs
      .command('edit')
      .description('rename a tariff plan or change its disk or RAM size')
      .argument('<tariffId>', 'tariff id')
      .option('--name <name>', 'tariff name')
      .option('--disk-mib <n>', 'disk size in MiB ("none": no disk check)')
      .option('--ram-mib <n>', 'RAM size in MiB ("none": no RAM check)')
      .option('--json', 'print JSON'),
    'os-catalog tariffs edit 3 --name "VPS-M" --disk-mib 40960 --ram-mib 2048',
    'os-catalog tariffs edit 3 --disk-mib none',
  ).action(
    async (tariffId: string, flags: { name?: string; diskMib?: string; ramMib?: string; json?: boolean }) => {
      const id = parseId(tariffId, 'tariffId');
      const update = toTariffUpdate(flags);
      await ctx.apps.withApp('tariffs edit', async (app) =>
        printTariffs(ctx, [await app.tariffs.updateTariff(id, update, cliActor)], flags.json),
      );
    },
  );
}

/** `os-catalog tariffs …`: list, create, clone, set-modules and the orderable OS list. */
export function registerTariffsCommands(program: Command, ctx: CliContext): void {
  const tariffs = program.command('tariffs').description('tariff plans');
  tariffs
    .command('list')
    .description('list tariff plans')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      await ctx.apps.withApp('tariffs list', async (app) =>
        printTariffs(ctx, await app.tariffs.listTariffs(), flags.json),
      );
    });

  withExamples(
    tariffs
      .command('show')
      .description('one tariff plan')
      .argument('<tariffId>', 'tariff id')
      .option('--json', 'print JSON'),
    'os-catalog tariffs show 3',
  ).action(async (tariffId: string, flags: { json?: boolean }) => {
    const id = parseId(tariffId, 'tariffId');
    await ctx.apps.withApp('tariffs show', async (app) =>
      printTariffs(ctx, [await app.tariffs.getTariff(id)], flags.json),
    );
  });
  registerTariffEdit(tariffs, ctx);

  tariffs
    .command('create')
    .description('create a tariff plan')
    .requiredOption('--name <name>', 'tariff name')
    .option('--disk-mib <n>', 'disk size of the tariff in MiB')
    .option('--ram-mib <n>', 'RAM size of the tariff in MiB')
    .option('--modules <ids>', 'comma-separated processing module ids')
    .option('--json', 'print JSON')
    .action(
      async (flags: {
        name: string;
        diskMib?: string;
        ramMib?: string;
        modules?: string;
        json?: boolean;
      }) => {
        const input = {
          name: flags.name,
          ...(flags.diskMib !== undefined
            ? { diskMib: parseIntFlag(flags.diskMib, '--disk-mib', { min: 1 }) }
            : {}),
          ...(flags.ramMib !== undefined
            ? { ramMib: parseIntFlag(flags.ramMib, '--ram-mib', { min: 1 }) }
            : {}),
          ...(flags.modules !== undefined ? { moduleIds: parseIdList(flags.modules, '--modules') } : {}),
        };
        await ctx.apps.withApp('tariffs create', async (app) =>
          printTariffs(ctx, [await app.tariffs.createTariff(input, 'cli')], flags.json),
        );
      },
    );

  tariffs
    .command('clone')
    .description('clone a tariff plan (disk, RAM, modules and per-template settings)')
    .argument('<tariffId>', 'tariff to clone')
    .option('--name <name>', 'name of the clone (default: "<name> (copy)")')
    .option('--modules <ids>', 'comma-separated module ids for the clone instead of the original ones')
    .option('--json', 'print JSON')
    .action(async (tariffId: string, flags: { name?: string; modules?: string; json?: boolean }) => {
      const id = parseIntFlag(tariffId, 'tariffId', { min: 1 });
      const input = {
        ...(flags.name !== undefined ? { name: flags.name } : {}),
        ...(flags.modules !== undefined ? { moduleIds: parseIdList(flags.modules, '--modules') } : {}),
      };
      await ctx.apps.withApp('tariffs clone', async (app) =>
        printTariffs(ctx, [await app.tariffs.cloneTariff(id, input, 'cli')], flags.json),
      );
    });

  tariffs
    .command('set-modules')
    .description('set the processing modules a tariff uses')
    .argument('<tariffId>', 'tariff id')
    .argument('<moduleIds>', 'comma-separated module ids ("" for none)')
    .option('--json', 'print JSON')
    .action(async (tariffId: string, moduleIds: string, flags: { json?: boolean }) => {
      const id = parseIntFlag(tariffId, 'tariffId', { min: 1 });
      const ids = parseIdList(moduleIds, 'moduleIds');
      await ctx.apps.withApp('tariffs set-modules', async (app) =>
        printTariffs(ctx, [await app.tariffs.setTariffModules(id, ids, 'cli')], flags.json),
      );
    });

  tariffs
    .command('os')
    .description('the orderable OS list of a tariff, as the storefront sees it')
    .argument('<tariffId>', 'tariff id')
    .option('--disk-mib <n>', 'disk size the customer chose, in MiB')
    .option('--ram-mib <n>', 'RAM size the customer chose, in MiB')
    .option(
      '--purpose <purpose>',
      'order (default): a new order; reinstall: an existing service (deprecated ones too)',
    )
    .option('--json', 'print JSON')
    .action(async (tariffId: string, flags: OsFlags) => {
      const id = parseIntFlag(tariffId, 'tariffId', { min: 1 });
      const options = {
        ...(flags.purpose !== undefined ? { purpose: parsePurpose(flags.purpose) } : {}),
        ...(flags.diskMib !== undefined
          ? { diskMib: parseIntFlag(flags.diskMib, '--disk-mib', { min: 1 }) }
          : {}),
        ...(flags.ramMib !== undefined
          ? { ramMib: parseIntFlag(flags.ramMib, '--ram-mib', { min: 1 }) }
          : {}),
      };
      await ctx.apps.withApp('tariffs os', async (app) => {
        const list = await app.tariffs.listOrderableTemplates(id, options);
        if (flags.json) return printJson(ctx.io, list);
        printHuman(
          ctx.io,
          formatTable(
            ['SORT', 'NAME', 'INTERNAL NAME', 'MIN DISK', 'MIN RAM', 'MODULE', 'LIFECYCLE'],
            list.map((t) => [
              t.sort,
              t.displayName,
              t.internalName,
              mib(t.minDiskMib),
              mib(t.minRamMib),
              t.moduleName,
              lifecycleText(t),
            ]),
          ),
        );
      });
    });
}
