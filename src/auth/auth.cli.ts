import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { formatTable, printHuman, printJson, readNewPassword, safe } from '../cli/cli-io.js';
import { runAndPrint, withExamples } from '../cli/cli-command.js';

/** `os-catalog admin create` and `os-catalog tokens create|list|revoke`. */
export function registerAuthCommands(program: Command, ctx: CliContext): void {
  const admin = program.command('admin').description('admin accounts of the web UI and API');
  admin
    .command('create')
    .description('create an admin account (password from stdin, or prompted)')
    .requiredOption('--email <email>', 'sign-in email')
    .action(async (flags: { email: string }) => {
      const password = await readNewPassword(ctx.io);
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
