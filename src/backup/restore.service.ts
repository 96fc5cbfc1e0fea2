import { rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import type { OpenedDatabase } from '../db/open.js';
import { codeMigrationHashes, fingerprintOfMigrations, migrationsFolderUpTo } from '../db/migrate.js';
import { processingModules } from '../modules/modules.tables.js';
import { webhookEndpoints } from '../webhooks/webhooks.tables.js';
import { AppError, conflict, invalidInput } from '../shared/errors.js';
import type { SecretBox } from '../shared/secrets.js';
import { listIssues } from '../shared/validate.js';
import { DumpEnd, endPrefix, parseDumpHeader, seededTables, type DumpHeader } from './backup.format.js';
import { countRows, selectAppliedMigrations, selectTableShapes } from './backup.repository.js';

export interface RestoreOptions {
  /**
   * Restore even when module passwords or webhook secrets do not decrypt with this key (the
   * passwords must be re-entered, the webhook secrets rotated).
   */
  allowUndecryptable?: boolean;
}

export interface RestoreSummary {
  header: DumpHeader;
  rows: Record<string, number>;
  /** The migrations applied after loading (an older dump is brought up to the code's schema). */
  migratedFrom: number;
  migratedTo: number;
  undecryptableModules: number;
  /** Webhook endpoints whose signing secret does not decrypt (restored only with allowUndecryptable). */
  undecryptableWebhookSecrets: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Refuses a dump this code cannot load: newer than the code, or from another history. */
function checkDumpSchema(name: string, header: DumpHeader, code: string[]): void {
  const { migrations, fingerprint } = header.schema;
  if (migrations > code.length) {
    throw conflict(
      `${name} was written by a newer os-catalog (schema of ${migrations} migrations; this one has ${code.length}): upgrade os-catalog first`,
      { dumpMigrations: migrations, codeMigrations: code.length },
    );
  }
  if (fingerprintOfMigrations(code.slice(0, migrations)) !== fingerprint) {
    throw invalidInput(`${name} comes from a schema history that is not this os-catalog's`, {
      field: 'file',
    });
  }
}

/** Refuses a target that holds anything, or that another release migrated past the dump. */
async function checkTarget(opened: OpenedDatabase, header: DumpHeader, code: string[]): Promise<number> {
  const { db } = opened.database;
  const applied = await selectAppliedMigrations(db);
  if (applied.some((m, i) => m.hash !== code[i])) {
    throw conflict('the target database was migrated by another schema history than this os-catalog’s');
  }
  if (applied.length > header.schema.migrations) {
    throw conflict(
      `the target database is at a newer schema (${applied.length} migrations) than the dump (${header.schema.migrations}): restore into a new, empty database`,
    );
  }
  const tables = (await selectTableShapes(db)).map((t) => t.name).filter((t) => !seededTables.includes(t));
  const counts = Object.entries(await countRows(db, tables)).filter(([, n]) => n > 0);
  if (counts.length > 0) {
    const what = counts.map(([table, n]) => `${table}: ${n}`).join(', ');
    throw conflict(`the target database is not empty (${what}): restore needs an empty database`, {
      rows: Object.fromEntries(counts),
    });
  }
  return applied.length;
}

const skipped = (line: string) =>
  line === '' || line.startsWith('--') || line === 'begin;' || line === 'commit;';

const describeSqlError = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

/** True when `sealed` does not decrypt with the target's key (or the target has none). */
const undecryptable = (secrets: SecretBox | undefined, sealed: string): boolean => {
  if (!secrets) return true;
  try {
    secrets.decrypt(sealed);
    return false;
  } catch {
    return true;
  }
};

/** The restored secrets (module passwords and tokens, webhook signing secrets) the target cannot decrypt. */
async function countUndecryptable(tx: Tx, secrets: SecretBox | undefined) {
  const modules = await tx.select({ sealed: processingModules.passwordEncrypted }).from(processingModules);
  const endpoints = await tx.select({ sealed: webhookEndpoints.secretEncrypted }).from(webhookEndpoints);
  return {
    modules: modules.filter((m) => undecryptable(secrets, m.sealed)).length,
    webhookEndpoints: endpoints.filter((e) => undecryptable(secrets, e.sealed)).length,
  };
}

/** The refusal of a dump whose secrets another key encrypted: one line saying which and what to do. */
function undecryptableSecrets(
  name: string,
  counts: { modules: number; webhookEndpoints: number },
  hasKey: boolean,
): AppError {
  const what = [
    counts.modules > 0 ? plural(counts.modules, 'module password') : '',
    counts.webhookEndpoints > 0 ? plural(counts.webhookEndpoints, 'webhook endpoint secret') : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return new AppError(
    'invalid_input',
    `${what} in ${name} cannot be decrypted with ${hasKey ? 'this secret key' : 'no secret key'}: give the source's OSCAT_SECRET_KEY or secret.key (or --allow-undecryptable, then re-enter the passwords and rotate the webhook secrets); nothing was restored`,
    { field: 'secretKey', reason: 'undecryptable_secrets', ...counts },
  );
}

/**
 * Loads a dump (its lines, the two header lines already read) into an empty database of either
 * engine, in one transaction: it first brings the target to the dump's schema, then inserts, then
 * migrates to the code's schema. Any refusal or failure changes nothing in the database.
 */
export async function restoreBackup(
  dump: { name: string; lines: AsyncIterator<string> },
  target: { opened: OpenedDatabase; secrets: SecretBox | undefined },
  options: RestoreOptions = {},
): Promise<RestoreSummary> {
  const first = await dump.lines.next();
  const second = first.done ? undefined : await dump.lines.next();
  const header = parseDumpHeader(
    dump.name,
    first.done ? undefined : first.value,
    second && !second.done ? second.value : undefined,
  );
  const code = codeMigrationHashes();
  checkDumpSchema(dump.name, header, code);
  const migratedFrom = await checkTarget(target.opened, header, code);
  if (migratedFrom < header.schema.migrations) {
    const folder = migrationsFolderUpTo(header.schema.migrations);
    try {
      await target.opened.migrate(folder);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
  const { db } = target.opened.database;
  const loaded = await db.transaction(async (tx) => {
    let lineNumber = 2;
    let end: DumpEnd | undefined;
    for (let next = await dump.lines.next(); !next.done; next = await dump.lines.next()) {
      lineNumber += 1;
      const line = next.value;
      if (line.startsWith(endPrefix)) {
        const parsed: unknown = JSON.parse(line.slice(endPrefix.length));
        if (listIssues(DumpEnd, parsed).length === 0) end = parsed as DumpEnd;
        continue;
      }
      if (skipped(line)) continue;
      if (end) throw invalidInput(`${dump.name} has statements after its end marker (line ${lineNumber})`);
      try {
        await tx.execute(sql.raw(line));
      } catch (error) {
        throw new AppError(
          'invalid_input',
          `${dump.name} line ${lineNumber}: ${describeSqlError(error)}; nothing was restored`,
        );
      }
    }
    if (!end)
      throw invalidInput(`${dump.name} is incomplete (no end marker): nothing was restored`, {
        field: 'file',
      });
    const rows = await countRows(tx, Object.keys(end.rows));
    const mismatch = Object.entries(end.rows).find(([table, n]) => rows[table] !== n);
    if (mismatch) {
      throw invalidInput(
        `${dump.name} should hold ${mismatch[1]} rows of ${mismatch[0]} but loads ${rows[mismatch[0]]}: nothing was restored`,
      );
    }
    const counts = await countUndecryptable(tx, target.secrets);
    if (counts.modules + counts.webhookEndpoints > 0 && !options.allowUndecryptable)
      throw undecryptableSecrets(dump.name, counts, target.secrets !== undefined);
    return {
      rows: end.rows,
      undecryptableModules: counts.modules,
      undecryptableWebhookSecrets: counts.webhookEndpoints,
    };
  });
  await target.opened.migrate();
  return { header, ...loaded, migratedFrom: header.schema.migrations, migratedTo: code.length };
}
