import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { formatTable, printHuman, printJson, safe } from '../cli/cli-io.js';
import { runAndPrint, withExamples } from '../cli/cli-command.js';
import { invalidInput } from '../shared/errors.js';

/** Asks for a password on the terminal without echoing it. */
async function promptPassword(question: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  process.stderr.write(question);
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

async function readPassword(ctx: CliContext): Promise<string> {
  const piped = await ctx.io.readStdin();
  if (piped !== undefined) return piped.replace(/\r?\n$/, '');
  if (!process.stdin.isTTY) throw invalidInput('give the password on standard input', { field: 'password' });
  const first = await promptPassword('Password: ');
  const again = await promptPassword('Repeat password: ');
  if (first !== again) throw invalidInput('the passwords differ', { field: 'password' });
  return first;
}

/** `os-catalog admin create` and `os-catalog tokens create|list|revoke`. */
export function registerAuthCommands(program: Command, ctx: CliContext): void {
  const admin = program.command('admin').description('admin accounts of the web UI and API');
  admin
    .command('create')
    .description('create an admin account (password from stdin, or prompted)')
    .requiredOption('--email <email>', 'sign-in email')
    .action(async (flags: { email: string }) => {
      const password = await readPassword(ctx);
      await ctx.apps.withApp('admin create', async (app) => {
        const account = await app.auth.createAdmin({ email: flags.email, password }, 'cli');
        printHuman(ctx.io, safe`created admin ${account.email} (id ${account.id})\n`);
      });
    });

  withExamples(
    admin
      .command('list')
      .description('list admin accounts (never their passwords)')
      .option('--json', 'print JSON'),
    'os-catalog admin list',
  ).action(async (flags: { json?: boolean }) => {
    await runAndPrint(
      ctx,
      'admin list',
      flags,
      (app) => app.auth.listAdmins(),
      (list) =>
        formatTable(
          ['ID', 'EMAIL', 'DISABLED', 'CREATED'],
          list.map((a) => [a.id, a.email, a.disabled ? 'yes' : 'no', a.createdAt.toISOString()]),
        ),
    );
  });

  const tokens = program.command('tokens').description('API tokens for scripts and storefronts');
  tokens
    .command('create')
    .description('create an API token and print it once')
    .requiredOption('--name <name>', 'token name (the audit log shows token:<name>)')
    .requiredOption('--scope <scope>', 'admin or storefront')
    .option('--json', 'print JSON')
    .action(async (flags: { name: string; scope: string; json?: boolean }) => {
      await ctx.apps.withApp('tokens create', async (app) => {
        const created = await app.auth.createToken(
          { name: flags.name, scope: flags.scope as 'admin' | 'storefront' },
          'cli',
        );
        if (flags.json) return printJson(ctx.io, created);
        printHuman(ctx.io, `${created.secret}\n`);
        printHuman(
          ctx.io,
          safe`token ${created.token.name} (${created.token.scope}) created; it is shown only this once\n`,
          'err',
        );
      });
    });
  tokens
    .command('list')
    .description('list API tokens (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      await ctx.apps.withApp('tokens list', async (app) => {
        const list = await app.auth.listTokens();
        if (flags.json) return printJson(ctx.io, list);
        printHuman(
          ctx.io,
          formatTable(
            ['ID', 'NAME', 'SCOPE', 'CREATED', 'LAST USED', 'REVOKED'],
            list.map((t) => [
              t.id,
              t.name,
              t.scope,
              t.createdAt.toISOString(),
              t.lastUsedAt?.toISOString(),
              t.revokedAt?.toISOString(),
            ]),
          ),
        );
      });
    });
  tokens
    .command('revoke')
    .description('revoke an API token')
    .argument('<id>', 'token id')
    .action(async (id: string) => {
      await ctx.apps.withApp('tokens revoke', async (app) => {
        const token = await app.auth.revokeToken(Number(id), 'cli');
        printHuman(ctx.io, safe`revoked token ${token.name}\n`);
      });
    });
}
