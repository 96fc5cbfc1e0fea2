import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDatabase, secretKeyFileOf } from '../db/open.js';
import type { CliContext } from '../cli/cli-context.js';
import { openOutput, printHuman, printJson } from '../cli/cli-io.js';
import { invalidInput } from '../shared/errors.js';
import { createSecretBox, readSecretKey } from '../shared/secrets.js';
import { writeBackup, type BackupSummary } from './backup.service.js';
import { restoreBackup, type RestoreSummary } from './restore.service.js';

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** "3012 parameter_values, 4 tariffs, …": the tables that hold rows. */
const describeRows = (rows: Record<string, number>): string =>
  Object.entries(rows)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${n} ${table}`)
    .join(', ') || 'no rows';

const backupLine = (file: string, summary: BackupSummary, seconds: number) =>
  `backup of schema ${summary.header.schema.migrations} (${summary.header.engine}) written to ${file}: ` +
  `${describeRows(summary.rows)}; ${megabytes(summary.bytes)} in ${seconds.toFixed(1)} s\n`;

const restoreLine = (file: string, summary: RestoreSummary, seconds: number) =>
  `restored ${file} (taken ${summary.header.takenAt} from ${summary.header.engine}): ${describeRows(summary.rows)}` +
  `${summary.migratedTo > summary.migratedFrom ? `; migrated from schema ${summary.migratedFrom} to ${summary.migratedTo}` : ''}` +
  ` in ${seconds.toFixed(1)} s\n` +
  (summary.undecryptableModules + summary.undecryptableWebhookSecrets > 0
    ? `warning: ${summary.undecryptableModules} module passwords and ${summary.undecryptableWebhookSecrets} webhook secrets did not decrypt: re-enter the passwords (modules edit ID --password-stdin) and rotate the secrets (webhooks rotate-secret ID)\n`
    : '');

async function* linesOf(ctx: CliContext, file: string): AsyncGenerator<string> {
  if (file === '-') {
    const text = await ctx.io.readStdin();
    if (text === undefined)
      throw invalidInput('restore - reads the dump from standard input, which is a terminal');
    yield* text.split('\n');
    return;
  }
  const stream = createReadStream(file, { encoding: 'utf8' });
  try {
    yield* createInterface({ input: stream, crlfDelay: Infinity });
  } finally {
    stream.destroy();
  }
}

/** `os-catalog backup` and `os-catalog restore`: a plain-SQL dump of the whole database. */
export function registerBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description('write a consistent dump of the whole database as plain SQL, while the server runs')
    .requiredOption('--out <file>', 'where to write it ("-" for standard output)')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Includes templates, tariffs, modules (passwords stay encrypted: keep the secret key with it),
sync history, audit, admins and API tokens; not sign-in sessions or sync slot claims.
Examples:
  os-catalog backup --out /var/backups/os-catalog/$(date +%F).sql
  os-catalog backup --out - | gzip > os-catalog.sql.gz`,
    )
    .action(async (flags: { out: string; json?: boolean }) => {
      await ctx.apps.withDatabase('backup', async (database) => {
        const started = performance.now();
        const output = await openOutput(ctx.io, flags.out);
        let summary: BackupSummary;
        try {
          summary = await writeBackup(database, output);
          await output.close();
        } catch (error) {
          await output.abort();
          throw error;
        }
        // With the dump on standard output, the report goes to standard error.
        const stream = flags.out === '-' ? 'err' : 'out';
        const seconds = (performance.now() - started) / 1000;
        if (flags.json) printJson(ctx.io, { file: flags.out, ...summary }, stream);
        else printHuman(ctx.io, backupLine(flags.out, summary, seconds), stream);
      });
    });

  program
    .command('restore')
    .description('load a dump into an empty database (never through a running server)')
    .argument('<file>', 'a dump written by os-catalog backup ("-" for standard input)')
    .option(
      '--allow-undecryptable',
      'restore even if module passwords or webhook secrets do not decrypt with this secret key',
    )
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
The target is the configured database (DATABASE_URL, else the embedded one in OSCAT_DATA_DIR): it
must hold no catalog rows. An older dump is migrated after loading; a newer one is refused.
Examples:
  DATABASE_URL=postgres://oscat@db/oscat os-catalog restore os-catalog.sql
  gunzip -c os-catalog.sql.gz | OSCAT_DATA_DIR=/srv/oscat os-catalog restore -`,
    )
    .action(async (file: string, flags: { allowUndecryptable?: boolean; json?: boolean }) => {
      const config = loadConfig();
      const key = readSecretKey({ secret: config.secretKey, keyFile: secretKeyFileOf(config) });
      const started = performance.now();
      const lines = linesOf(ctx, file);
      try {
        const opened = await openDatabase(config, 'os-catalog restore');
        try {
          const summary = await restoreBackup(
            { name: file, lines },
            { opened, secrets: key ? createSecretBox(key) : undefined },
            { allowUndecryptable: flags.allowUndecryptable ?? false },
          );
          const seconds = (performance.now() - started) / 1000;
          if (flags.json) printJson(ctx.io, { file, ...summary });
          else printHuman(ctx.io, restoreLine(file, summary, seconds));
        } finally {
          await opened.close();
        }
      } finally {
        await lines.return(undefined);
      }
    });
}
