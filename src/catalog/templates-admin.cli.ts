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
import { formatTable, parseIdList, parseIntFlag, safe } from '../cli/cli-io.js';
import { invalidInput } from '../shared/errors.js';
import type { OsTemplate, OsTemplateDetail, TemplateEdit } from './catalog.schema.js';
import { registerLifecycleCommands } from './lifecycle.cli.js';

const flagsOf = (t: OsTemplate) =>
  [
    t.disabled ? 'disabled' : '',
    t.awaitingReview ? 'awaiting review' : '',
    t.retiredAt ? 'retired' : '',
    t.lifecycle === 'active' ? '' : t.lifecycle,
  ]
    .filter(Boolean)
    .join(', ') || 'none';

/** One line about a changed template. */
export const formatTemplateLine = (t: OsTemplate): string =>
  safe`template ${t.id} (${t.internalName}): "${t.displayName}", sort ${t.sort}, tags ${t.tags.join(',') || '-'}, flags ${flagsOf(t)}\n`;

/** A template with its modules and its state on every tariff (`templates show`). */
export function formatTemplateDetail(t: OsTemplateDetail): string {
  const fields = formatFields([
    ['id', t.id],
    ['name', t.displayName],
    ['internal name', t.internalName],
    ['status', t.status],
    ['sort', t.sort],
    ['tags', t.tags.join(', ') || null],
    ['min disk', t.minDiskMib === null ? null : `${t.minDiskMib} MiB`],
    ['min RAM', t.minRamMib === null ? null : `${t.minRamMib} MiB`],
    ['flags', flagsOf(t)],
    ['disabled by', t.disabledBy],
    ['lifecycle', t.lifecycle],
    ['end of life', t.eolAt ? formatWhen(t.eolAt) : null],
    ['replacement', t.replacementId],
    ['updated', formatWhen(t.updatedAt)],
  ]);
  const modules = formatTable(
    ['MODULE', 'NAME', 'CONNECTED', 'UPSTREAM ID', 'LAST SEEN'],
    t.modules.map((m) => [
      m.moduleId,
      m.moduleName,
      m.connected ? 'yes' : 'no',
      m.upstreamId,
      formatWhen(m.lastSeenAt),
    ]),
  );
  const tariffs = formatTable(
    ['TARIFF', 'NAME', 'EXPLICIT', 'ENABLED', 'ORDERABLE', 'WHY NOT'],
    t.tariffs.map((x) => [
      x.tariffId,
      x.tariffName,
      x.explicit === null ? null : x.explicit ? 'on' : 'off',
      x.enabled ? 'yes' : 'no',
      x.orderable ? 'yes' : 'no',
      x.reason,
    ]),
  );
  return `${fields}\n${modules}\n${tariffs}`;
}

interface EditFlags {
  name?: string;
  sort?: string;
  tag: string[];
  clearTags?: boolean;
  json?: boolean;
}

function toTemplateEdit(flags: EditFlags): TemplateEdit {
  if (flags.clearTags && flags.tag.length > 0)
    throw invalidInput('use either --tag or --clear-tags', { field: '--tag' });
  const edit: TemplateEdit = {
    ...(flags.name !== undefined ? { displayName: flags.name } : {}),
    ...(flags.sort !== undefined ? { sort: parseIntFlag(flags.sort, '--sort') } : {}),
    ...(flags.tag.length > 0 ? { tags: flags.tag } : flags.clearTags ? { tags: [] } : {}),
  };
  if (Object.keys(edit).length === 0)
    throw invalidInput('give at least one of --name, --sort, --tag, --clear-tags');
  return edit;
}

/** `ID=SORT` pairs of `templates reorder`. */
function parseOrder(pairs: string[]): { id: number; sort: number }[] {
  return pairs.map((pair) => {
    const [id, sort, extra] = pair.split('=');
    if (id === undefined || sort === undefined || extra !== undefined) {
      throw invalidInput(`"${pair}" is not ID=SORT`, { field: 'order' });
    }
    return { id: parseId(id, 'ID'), sort: parseIntFlag(sort, 'SORT') };
  });
}

const collect = (value: string, previous: string[]) => [...previous, value];

function registerEdit(templates: Command, ctx: CliContext): void {
  withExamples(
    templates
      .command('edit')
      .description('edit a template: display name, sort, tags (the minimum disk and RAM come from VMmanager)')
      .argument('<id>', 'template id')
      .option('--name <name>', 'display name on the order form (sync no longer changes it)')
      .option('--sort <n>', 'position on the order form (ascending)')
      .option('--tag <tag>', 'set the tags to these (repeat for several)', collect, [])
      .option('--clear-tags', 'remove every tag')
      .option('--json', 'print JSON'),
    'os-catalog templates edit 12 --name "Ubuntu 22.04 LTS" --sort 5',
    'os-catalog templates edit 12 --tag linux --tag lts',
  ).action(async (id: string, flags: EditFlags) => {
    const templateId = parseId(id, 'id');
    const edit = toTemplateEdit(flags);
    await runAndPrint(
      ctx,
      'templates edit',
      flags,
      (app) => app.catalog.editTemplate(templateId, edit, cliActor),
      formatTemplateLine,
    );
  });
}

function registerSwitches(templates: Command, ctx: CliContext): void {
  const switches = [
    ['disable', 'disable the template on every tariff (a sync never re-enables it)'],
    ['enable', 'enable the template again'],
    ['approve', 'clear "awaiting review" (templates new in VMmanager under the hold policy)'],
  ] as const;
  for (const [action, description] of switches) {
    registerIdCommand(templates, ctx, {
      name: action,
      description,
      idOf: 'template id',
      call: (app, id) =>
        action === 'approve'
          ? app.catalog.approveTemplate(id, cliActor)
          : app.catalog.setTemplateDisabled(id, action === 'disable', cliActor),
      human: formatTemplateLine,
    });
  }
}

function registerLinks(templates: Command, ctx: CliContext): void {
  for (const action of ['connect', 'disconnect'] as const) {
    withExamples(
      templates
        .command(action)
        .description(
          `${action} the template ${action === 'connect' ? 'to' : 'from'} a processing module (a sync may change it again)`,
        )
        .argument('<id>', 'template id')
        .requiredOption('--module <id>', 'processing module id')
        .option('--json', 'print JSON'),
      `os-catalog templates ${action} 12 --module 2`,
    ).action(async (id: string, flags: { module: string; json?: boolean }) => {
      const templateId = parseId(id, 'id');
      const moduleId = parseId(flags.module, '--module');
      await runAndPrint(
        ctx,
        `templates ${action}`,
        flags,
        async (app) => {
          await app.catalog.setTemplateConnection(templateId, moduleId, action === 'connect', cliActor);
          return app.catalog.getTemplate(templateId);
        },
        formatTemplateDetail,
      );
    });
  }
  withExamples(
    templates
      .command('tariffs')
      .description('switch the template on or off on one or many tariffs')
      .argument('<id>', 'template id')
      .option('--on <tariffIds>', 'comma-separated tariff ids to enable it on')
      .option('--off <tariffIds>', 'comma-separated tariff ids to disable it on')
      .option('--json', 'print JSON'),
    'os-catalog templates tariffs 12 --off 3,4',
    'os-catalog templates tariffs 12 --on 3',
  ).action(async (id: string, flags: { on?: string; off?: string; json?: boolean }) => {
    const templateId = parseId(id, 'id');
    if ((flags.on === undefined) === (flags.off === undefined)) {
      throw invalidInput('give exactly one of --on or --off', { field: '--on' });
    }
    const enabled = flags.on !== undefined;
    const tariffIds = parseIdList((flags.on ?? flags.off)!, enabled ? '--on' : '--off');
    await runAndPrint(
      ctx,
      'templates tariffs',
      flags,
      async (app) => {
        await app.catalog.setTemplateOnTariffs(templateId, tariffIds, enabled, cliActor);
        return app.catalog.getTemplate(templateId);
      },
      formatTemplateDetail,
    );
  });
}

/** `os-catalog templates show|edit|disable|enable|approve|deprecate|undeprecate|reorder|connect|disconnect|tariffs`. */
export function registerTemplateAdminCommands(templates: Command, ctx: CliContext): void {
  registerIdCommand(templates, ctx, {
    name: 'show',
    description: 'one template with its modules and its state on every tariff',
    idOf: 'template id',
    call: (app, id) => app.catalog.getTemplate(id),
    human: formatTemplateDetail,
  });
  registerEdit(templates, ctx);
  registerSwitches(templates, ctx);
  registerLifecycleCommands(templates, ctx);
  withExamples(
    templates
      .command('reorder')
      .description('set the sort of many templates at once')
      .argument('<pairs...>', 'ID=SORT pairs')
      .option('--json', 'print JSON'),
    'os-catalog templates reorder 12=10 7=20 9=30',
  ).action(async (pairs: string[], flags: { json?: boolean }) => {
    const order = parseOrder(pairs);
    await runAndPrint(
      ctx,
      'templates reorder',
      flags,
      async (app) => {
        await app.catalog.reorderTemplates(order, cliActor);
        return order;
      },
      (items) => `sort set on ${items.length} template${items.length === 1 ? '' : 's'}\n`,
    );
  });
  registerLinks(templates, ctx);
}
