import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { formatWhen, parseId, runAndPrint, withExamples } from '../cli/cli-command.js';
import { formatTable, parseIntFlag } from '../cli/cli-io.js';
import type { AuditFilter, AuditRecord } from './audit.schema.js';

interface AuditFlags {
  objectType?: string;
  objectId?: string;
  actor?: string;
  beforeId?: string;
  limit: string;
  json?: boolean;
}

const toFilter = (flags: AuditFlags): AuditFilter => ({
  ...(flags.objectType !== undefined ? { objectType: flags.objectType } : {}),
  ...(flags.objectId !== undefined ? { objectId: flags.objectId } : {}),
  ...(flags.actor !== undefined ? { actor: flags.actor } : {}),
  ...(flags.beforeId !== undefined ? { beforeId: parseId(flags.beforeId, '--before-id') } : {}),
  limit: parseIntFlag(flags.limit, '--limit', { min: 1 }),
});

const maxChange = 120;

/** Before → after, cut to one readable line (`--json` has all of it). */
const changeOf = (r: AuditRecord): string => {
  const text = `${JSON.stringify(r.before)} → ${JSON.stringify(r.after)}`;
  return text.length > maxChange ? text.slice(0, maxChange - 1) + '…' : text;
};

/** `os-catalog audit list`: every admin write, newest first. */
export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('the audit log of every admin write');
  withExamples(
    audit
      .command('list')
      .description('list audit records, newest first')
      .option(
        '--object-type <type>',
        'only this kind of object (template, tariff, module, token, admin, sync_run)',
      )
      .option('--object-id <id>', 'only this object (with --object-type)')
      .option('--actor <actor>', 'only this actor, e.g. admin:you@example.com, token:shop, cli')
      .option('--before-id <id>', 'records older than this one (paging)')
      .option('--limit <n>', 'how many records (1–1000)', '50')
      .option('--json', 'print JSON'),
    'os-catalog audit list --object-type template --object-id 12',
    'os-catalog audit list --actor cli --limit 10 --json',
  ).action(async (flags: AuditFlags) => {
    const filter = toFilter(flags);
    await runAndPrint(
      ctx,
      'audit list',
      flags,
      (app) => app.audit.listAudit(filter),
      (records) =>
        formatTable(
          ['ID', 'AT', 'ACTOR', 'ACTION', 'OBJECT', 'CHANGE'],
          records.map((r) => [
            r.id,
            formatWhen(r.at),
            r.actor,
            r.action,
            `${r.objectType} ${r.objectId}`,
            changeOf(r),
          ]),
        ),
    );
  });
}
