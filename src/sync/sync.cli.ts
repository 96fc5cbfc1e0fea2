import type { Command } from 'commander';
import type { App } from '../app.js';
import type { CliContext } from '../cli/cli-context.js';
import { formatTable, parseIntFlag, printHuman, printJson, safe } from '../cli/cli-io.js';
import { formatFields, withExamples } from '../cli/cli-command.js';
import { invalidInput } from '../shared/errors.js';
import type { SyncRunResult, SyncRunSummary } from './sync.schema.js';
import { exitCodeOfOutcome, formatRunSummary, formatStage, worstExitCode } from './sync-summary.cli.js';

const cliActor = 'cli';

interface SyncFlags {
  module?: string;
  all?: boolean;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
}

const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 19) : null);

// A folded entry shows when its runs started and when the last one finished (the date once).
const span = (run: SyncRunSummary): string | null => {
  const first = when(run.startedAt);
  const last = when(run.lastFinishedAt);
  if (run.runCount === 1 || !first || !last) return first;
  return `${first}–${last.slice(0, 10) === first.slice(0, 10) ? last.slice(11) : last}`;
};

const outcomeOf = (run: SyncRunSummary): string =>
  run.runCount > 1 ? `${run.outcome} ×${run.runCount}` : run.outcome;

const seconds = (run: SyncRunSummary): string | null =>
  run.finishedAt ? `${((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1)}s` : null;

const noteOf = (run: SyncRunSummary): string | null => {
  const main = run.error?.message ?? run.guardMessage ?? (run.heldState ? `held: ${run.heldState}` : null);
  const skipped = run.counts.skipped > 0 ? `${run.counts.skipped} skipped` : null;
  return [main, skipped].filter(Boolean).join('; ') || null;
};

async function selectModules(app: App, flags: SyncFlags): Promise<{ id: number; name: string }[]> {
  if (flags.module !== undefined) {
    if (flags.all) throw invalidInput('use either --module or --all, not both', { field: '--all' });
    const module = await app.modules.getModule(parseIntFlag(flags.module, '--module', { min: 1 }));
    return [module];
  }
  return (await app.modules.listModules()).filter((m) => m.enabled);
}

/** Runs the chosen modules' syncs one after another, printing progress unless `--json`. */
async function runSyncCommand(ctx: CliContext, flags: SyncFlags): Promise<void> {
  await ctx.apps.withApp('sync', async (app) => {
    const modules = await selectModules(app, flags);
    if (modules.length === 0 && !flags.json) printHuman(ctx.io, 'no enabled processing modules to sync\n');
    const results: SyncRunResult[] = [];
    for (const module of modules) {
      if (!flags.json)
        printHuman(ctx.io, safe`module ${module.id} (${module.name}):${flags.dryRun ? ' dry run' : ''}\n`);
      const result = await app.sync.runSync(module.id, {
        trigger: 'manual',
        actor: cliActor,
        dryRun: flags.dryRun ?? false,
        force: flags.force ?? false,
        ...(flags.json ? {} : { onProgress: (stage) => printHuman(ctx.io, formatStage(stage)) }),
      });
      results.push(result);
      if (!flags.json) printHuman(ctx.io, formatRunSummary(result, module.name));
    }
    if (flags.json) printJson(ctx.io, results);
    ctx.setExitCode(worstExitCode(results.map((r) => exitCodeOfOutcome(r.outcome))));
  });
}

async function moduleNameOf(app: App, moduleId: number): Promise<string> {
  return (await app.modules.getModule(moduleId)).name;
}

function registerHeldCommands(sync: Command, ctx: CliContext): void {
  sync
    .command('apply <runId>')
    .description('apply a held plan (re-planned against the upstream set the held run saw)')
    .option('--json', 'print JSON')
    .action(async (runId: string, flags: { json?: boolean }) => {
      await ctx.apps.withApp('sync apply', async (app) => {
        const result = await app.sync.applyHeldRun(parseIntFlag(runId, 'RUN_ID', { min: 1 }), cliActor);
        if (flags.json) printJson(ctx.io, [result]);
        else printHuman(ctx.io, formatRunSummary(result, await moduleNameOf(app, result.moduleId)));
        ctx.setExitCode(exitCodeOfOutcome(result.outcome));
      });
    });
  sync
    .command('discard <runId>')
    .description('discard a held plan; nothing changes')
    .option('--json', 'print JSON')
    .action(async (runId: string, flags: { json?: boolean }) => {
      await ctx.apps.withApp('sync discard', async (app) => {
        const result = await app.sync.discardHeldRun(parseIntFlag(runId, 'RUN_ID', { min: 1 }), cliActor);
        if (flags.json) printJson(ctx.io, [result]);
        else printHuman(ctx.io, `run ${result.runId} discarded; the catalog is unchanged\n`);
      });
    });
}

function registerHistoryCommand(sync: Command, ctx: CliContext): void {
  sync
    .command('history')
    .description('list recorded sync runs, newest first')
    .option('--module <id>', 'only this module')
    .option('--limit <n>', 'how many runs', '20')
    .option('--json', 'print JSON')
    .action(async (flags: { module?: string; limit: string; json?: boolean }) => {
      await ctx.apps.withApp('sync history', async (app) => {
        const runs = await app.sync.listSyncRuns({
          ...(flags.module !== undefined
            ? { moduleId: parseIntFlag(flags.module, '--module', { min: 1 }) }
            : {}),
          limit: parseIntFlag(flags.limit, '--limit', { min: 1 }),
        });
        if (flags.json) return printJson(ctx.io, runs);
        printHuman(
          ctx.io,
          formatTable(
            ['RUN', 'MODULE', 'TRIGGER', 'OUTCOME', 'STARTED', 'TOOK', 'ADD', 'CONN', 'UPD', 'DISC', 'NOTE'],
            runs.map((r) => [
              r.runId,
              r.moduleId,
              r.trigger,
              outcomeOf(r),
              span(r),
              seconds(r),
              r.counts.added,
              r.counts.connected,
              r.counts.updated,
              r.counts.disconnected,
              noteOf(r),
            ]),
          ),
        );
      });
    });
}

function registerShowCommand(sync: Command, ctx: CliContext): void {
  withExamples(
    sync
      .command('show <runId>')
      .description('one recorded sync run with its plan (the whole diff with --json)')
      .option('--json', 'print JSON'),
    'os-catalog sync show 42',
    'os-catalog sync show 42 --json',
  ).action(async (runId: string, flags: { json?: boolean }) => {
    const id = parseIntFlag(runId, 'RUN_ID', { min: 1 });
    await ctx.apps.withApp('sync show', async (app) => {
      const run = await app.sync.getSyncRun(id);
      if (flags.json) return printJson(ctx.io, [run]);
      printHuman(
        ctx.io,
        formatFields([
          ['run', run.runId],
          ['module', run.moduleId],
          ['trigger', run.trigger],
          ['outcome', run.outcome],
          ['actor', run.actor],
          ['started', when(run.startedAt)],
          [
            'runs',
            run.runCount > 1
              ? `${run.runCount} (the same; the last finished ${when(run.lastFinishedAt)})`
              : null,
          ],
          ['took', seconds(run)],
          ['note', noteOf(run)],
        ]) + formatRunSummary(run, await moduleNameOf(app, run.moduleId)),
      );
    });
  });
}

function registerRemapCommands(sync: Command, ctx: CliContext): void {
  sync
    .command('candidates')
    .description('list rename candidates (a template that seems renamed upstream)')
    .option('--module <id>', 'only this module')
    .option('--json', 'print JSON')
    .action(async (flags: { module?: string; json?: boolean }) => {
      await ctx.apps.withApp('sync candidates', async (app) => {
        const moduleId =
          flags.module === undefined ? undefined : parseIntFlag(flags.module, '--module', { min: 1 });
        const candidates = await app.remap.listRenameCandidates(moduleId);
        if (flags.json) return printJson(ctx.io, candidates);
        printHuman(
          ctx.io,
          formatTable(
            ['MODULE', 'REASON', 'FROM', 'TO'],
            candidates.map((c) => [c.moduleId, c.reason, c.from.internalName, c.to.internalName]),
          ),
        );
      });
    });
  sync
    .command('remap')
    .description(
      'move tariff settings, sort and tags of a renamed template to its new name; retire the old one',
    )
    .requiredOption('--from <internalName>', 'the old internal name')
    .requiredOption('--to <internalName>', 'the new internal name')
    .option('--json', 'print JSON')
    .action(async (flags: { from: string; to: string; json?: boolean }) => {
      await ctx.apps.withApp('sync remap', async (app) => {
        const result = await app.remap.remapTemplate(
          { fromInternalName: flags.from, toInternalName: flags.to },
          cliActor,
        );
        if (flags.json) printJson(ctx.io, [result]);
        else printHuman(ctx.io, safe`remapped ${flags.from} → ${flags.to}\n`);
      });
    });
}

/** `os-catalog sync …`: run syncs by hand, resolve held plans, read the history, remap renames. */
export function registerSyncCommands(program: Command, ctx: CliContext): Command {
  const sync = program
    .command('sync')
    // `sync history --module 1` must reach the subcommand's own --module, not the parent's.
    .enablePositionalOptions()
    .description('sync OS templates from VMmanager now (all enabled modules unless --module)')
    .option('--module <id>', 'sync only this module')
    .option('--all', 'sync every enabled module (the default)')
    .option('--dry-run', 'show the plan and its impact on tariffs; apply nothing')
    .option('--force', 'apply even a plan the guard would hold')
    .option('--json', 'print JSON')
    .action(async (flags: SyncFlags) => {
      await runSyncCommand(ctx, flags);
    });
  registerHeldCommands(sync, ctx);
  registerHistoryCommand(sync, ctx);
  registerShowCommand(sync, ctx);
  registerRemapCommands(sync, ctx);
  return sync;
}
