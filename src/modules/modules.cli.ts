import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { formatTable, printHuman, printJson } from '../cli/cli-io.js';
import { formatBackoff } from './modules-admin.cli.js';

const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 19) : null);

/** `os-catalog modules list` (the sync feature adds `modules add`). */
export function registerModulesCommands(program: Command, ctx: CliContext): Command {
  const modules = program.command('modules').description('processing modules (VMmanager 6 connections)');
  modules
    .command('list')
    .description('list processing modules with their health')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      await ctx.apps.withApp('modules list', async (app) => {
        const list = await app.modules.listModules();
        if (flags.json) return printJson(ctx.io, list);
        printHuman(
          ctx.io,
          formatTable(
            [
              'ID',
              'NAME',
              'URL',
              'CLUSTER',
              'SORT',
              'ENABLED',
              'SCHEDULE',
              'POLICY',
              'LAST SUCCESS',
              'LAST FAILURE',
              'FAILS',
              'BACKOFF UNTIL',
            ],
            list.map((m) => [
              m.id,
              m.name,
              m.url,
              m.clusterId,
              m.sort,
              m.enabled ? 'yes' : 'no',
              m.schedule,
              m.newTemplatePolicy,
              when(m.health.lastSuccessAt),
              when(m.health.lastFailureAt),
              m.health.consecutiveFailures,
              formatBackoff(m) ?? '',
            ]),
          ),
        );
      });
    });
  return modules;
}
