import type { Command } from 'commander';
import type { App } from '../app.js';
import type { CliContext } from './cli-context.js';
import { formatTable, parseIntFlag, printHuman, printJson } from './cli-io.js';

/** The actor the audit log records for every CLI write. */
export const cliActor = 'cli';

/** A positional id (`<id>`): a whole number ≥ 1, else `invalid_input` naming the argument. */
export const parseId = (value: string, name: string): number => parseIntFlag(value, name, { min: 1 });

/** Appends "Examples:" to a command's `--help`. */
export function withExamples(command: Command, ...examples: string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}`);
}

/**
 * The shape of most admin commands: one service call on the app, its result printed as a JSON
 * list with `--json` (like every other command), else as `human(result)`.
 */
export function runAndPrint<T>(
  ctx: CliContext,
  command: string,
  flags: { json?: boolean },
  call: (app: App) => Promise<T>,
  human: (result: T) => string,
): Promise<void> {
  return ctx.apps.withApp(command, async (app) => {
    const result = await call(app);
    if (flags.json) printJson(ctx.io, Array.isArray(result) ? result : [result]);
    else printHuman(ctx.io, human(result));
  });
}

/** Labelled values, one per line, aligned (the table printer, so the same escaping applies). */
export const formatFields = (fields: [string, string | number | boolean | null | undefined][]): string =>
  formatTable(
    ['FIELD', 'VALUE'],
    fields.map(([label, value]) => [label, typeof value === 'boolean' ? (value ? 'yes' : 'no') : value]),
  )
    .split('\n')
    .slice(1)
    .join('\n');

/** A time as `YYYY-MM-DD HH:MM:SS` (UTC), or null. */
export const formatWhen = (d: Date | null | undefined): string | null =>
  d ? d.toISOString().replace('T', ' ').slice(0, 19) : null;

/** A command on one object: `<parent> <name> <id> [--json]`, one service call, its result printed. */
export function registerIdCommand<T>(
  parent: Command,
  ctx: CliContext,
  spec: {
    name: string;
    description: string;
    /** What the id names, for `--help` ("template id"). */
    idOf: string;
    call: (app: App, id: number) => Promise<T>;
    human: (result: T) => string;
  },
): Command {
  const command = `${parent.name()} ${spec.name}`;
  return withExamples(
    parent
      .command(spec.name)
      .description(spec.description)
      .argument('<id>', spec.idOf)
      .option('--json', 'print JSON'),
    `os-catalog ${command} 12`,
  ).action(async (id: string, flags: { json?: boolean }) => {
    const objectId = parseId(id, 'id');
    await runAndPrint(ctx, command, flags, (app) => spec.call(app, objectId), spec.human);
  });
}
