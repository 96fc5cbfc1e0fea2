import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { cliActor, parseId, registerIdCommand, runAndPrint, withExamples } from '../cli/cli-command.js';
import { invalidInput } from '../shared/errors.js';
import { DateTime } from '../shared/primitives.schema.js';
import { conforms } from '../shared/validate.js';
import type { OsTemplate, TemplateDeprecate } from './catalog.schema.js';

/** One line about a template's lifecycle after a change. */
export const formatLifecycleLine = (t: OsTemplate): string => {
  const eol = t.eolAt ? ` (EOL ${t.eolAt.toISOString()})` : '';
  const replacement = t.replacementId ? `, replaced by template ${t.replacementId}` : '';
  return `template ${t.id} (${t.internalName}): ${t.lifecycle}${eol}${replacement}\n`;
};

// A date alone means its start, in UTC. Checked here with the service's own format, so that the
// reason names the flag typed rather than the service's field.
const toDateTime = (value: string): string => {
  const dateTime = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  if (!conforms(DateTime, dateTime))
    throw invalidInput(`--eol must be a date (YYYY-MM-DD) or an ISO date-time, not "${value}"`, {
      field: '--eol',
    });
  return dateTime;
};

/** `os-catalog templates deprecate|undeprecate`. */
export function registerLifecycleCommands(templates: Command, ctx: CliContext): void {
  withExamples(
    templates
      .command('deprecate')
      .description('deprecate a template: no new orders, still on reinstall lists (a sync never undoes it)')
      .argument('<id>', 'template id')
      .option(
        '--eol <date>',
        'end-of-life date (YYYY-MM-DD or ISO date-time); in the future: deprecating until then',
      )
      .option('--replacement <id>', 'the template customers should move to')
      .option('--json', 'print JSON'),
    'os-catalog templates deprecate 12',
    'os-catalog templates deprecate 12 --eol 2026-06-30 --replacement 15',
  ).action(async (id: string, flags: { eol?: string; replacement?: string; json?: boolean }) => {
    const templateId = parseId(id, 'id');
    const input: TemplateDeprecate = {
      ...(flags.eol !== undefined ? { eolAt: toDateTime(flags.eol) } : {}),
      ...(flags.replacement !== undefined
        ? { replacementId: parseId(flags.replacement, '--replacement') }
        : {}),
    };
    await runAndPrint(
      ctx,
      'templates deprecate',
      flags,
      (app) => app.lifecycle.deprecateTemplate(templateId, input, cliActor),
      formatLifecycleLine,
    );
  });
  registerIdCommand(templates, ctx, {
    name: 'undeprecate',
    description: 'make a deprecated (or deprecating) template active again',
    idOf: 'template id',
    call: (app, templateId) => app.lifecycle.undeprecateTemplate(templateId, cliActor),
    human: formatLifecycleLine,
  });
}
