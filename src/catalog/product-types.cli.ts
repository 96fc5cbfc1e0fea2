import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { registerIdCommand, runAndPrint, withExamples } from '../cli/cli-command.js';
import { formatTable } from '../cli/cli-io.js';

/** `os-catalog product-types list|parameters`: BILLmanager's vocabulary (VPS → Operating system). */
export function registerProductTypesCommands(program: Command, ctx: CliContext): void {
  const types = program.command('product-types').description('product types and their parameters');
  withExamples(
    types.command('list').description('list product types').option('--json', 'print JSON'),
    'os-catalog product-types list',
  ).action(async (flags: { json?: boolean }) => {
    await runAndPrint(
      ctx,
      'product-types list',
      flags,
      (app) => app.catalog.listProductTypes(),
      (list) =>
        formatTable(
          ['ID', 'NAME'],
          list.map((t) => [t.id, t.name]),
        ),
    );
  });
  registerIdCommand(types, ctx, {
    name: 'parameters',
    description: 'list the parameters of a product type',
    idOf: 'product type id',
    call: (app, id) => app.catalog.listParameters(id),
    human: (list) =>
      formatTable(
        ['ID', 'NAME', 'INTERNAL NAME'],
        list.map((p) => [p.id, p.name, p.internalName]),
      ),
  });
}
