import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { formatTable, printHuman, printJson } from '../cli/cli-io.js';
import { registerTemplateAdminCommands } from './templates-admin.cli.js';

const statusIcon = { all: '● all', some: '◐ some', none: '○ none' } as const;

/** `os-catalog templates list`: every template with status, module connections and tariff settings. */
export function registerTemplatesCommands(program: Command, ctx: CliContext): void {
  const templates = program
    .command('templates')
    .description('OS templates (values of the Operating system parameter)');
  templates
    .command('list')
    .description('list templates with their status, module connections and per-tariff settings')
    .option('--json', 'print JSON')
    .option('--include-retired', 'also list templates retired by a remap')
    .action(async (flags: { json?: boolean; includeRetired?: boolean }) => {
      await ctx.apps.withApp('templates list', async (app) => {
        const list = await app.catalog.listTemplates({ includeRetired: flags.includeRetired ?? false });
        const details = await Promise.all(list.map((t) => app.catalog.getTemplate(t.id)));
        if (flags.json) {
          printJson(
            ctx.io,
            details.map((d, i) => ({
              ...list[i],
              modules: d.modules.map((m) => ({
                moduleId: m.moduleId,
                name: m.moduleName,
                connected: m.connected,
              })),
              tariffs: d.tariffs,
            })),
          );
          return;
        }
        printHuman(
          ctx.io,
          formatTable(
            [
              'ID',
              'NAME',
              'INTERNAL NAME',
              'SORT',
              'MIN DISK',
              'MIN RAM',
              'STATUS',
              'FLAGS',
              'MODULES',
              'TARIFFS (explicit)',
            ],
            details.map((d, i) => [
              d.id,
              d.displayName,
              d.internalName,
              d.sort,
              d.minDiskMib === null ? null : `${d.minDiskMib} MiB`,
              d.minRamMib === null ? null : `${d.minRamMib} MiB`,
              statusIcon[list[i]!.status],
              [
                d.disabled ? 'disabled' : '',
                d.awaitingReview ? 'review' : '',
                d.retiredAt ? 'retired' : '',
                d.lifecycle === 'active' ? '' : d.lifecycle,
              ]
                .filter(Boolean)
                .join(',') || null,
              d.modules
                .filter((m) => m.connected)
                .map((m) => m.moduleName)
                .join(',') || null,
              d.tariffs
                .filter((t) => t.explicit !== null)
                .map((t) => `${t.tariffName}:${t.explicit ? 'on' : 'off'}`)
                .join(',') || null,
            ]),
          ),
        );
      });
    });
  registerTemplateAdminCommands(templates, ctx);
}
