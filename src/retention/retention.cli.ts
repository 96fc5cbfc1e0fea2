import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { withExamples } from '../cli/cli-command.js';
import { printHuman, printJson } from '../cli/cli-io.js';

/** `os-catalog prune`: prunes the sync history and the webhook outbox now, as the hourly job does. */
export function registerRetentionCommands(program: Command, ctx: CliContext): void {
  withExamples(
    program
      .command('prune')
      .description(
        'remove old sync runs and webhook deliveries now (the OSCAT_RETAIN_* ages of the service; the job runs hourly)',
      )
      .option('--json', 'print JSON'),
    'os-catalog prune',
    'os-catalog prune --json',
  ).action(async (flags: { json?: boolean }) => {
    await ctx.apps.withApp('prune', async (app) => {
      const result = await app.retention.pruneNow();
      if (flags.json) return printJson(ctx.io, [result]);
      const { webhookDays, unchangedRunDays, changedRunDays } = app.retention.settings;
      printHuman(
        ctx.io,
        `removed ${result.syncRuns} sync runs (unchanged over ${unchangedRunDays} days, changed ` +
          `${changedRunDays === null ? 'kept for ever' : `over ${changedRunDays} days`}), ` +
          `${result.webhookDeliveries} webhook deliveries and ${result.webhookEvents} events ` +
          `(over ${webhookDays} days)\n`,
      );
    });
  });
}
