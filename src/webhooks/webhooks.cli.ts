import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import {
  cliActor,
  formatFields,
  formatWhen,
  parseId,
  runAndPrint,
  withExamples,
} from '../cli/cli-command.js';
import { formatTable, parseIntFlag, printHuman, printJson, safe } from '../cli/cli-io.js';
import { invalidInput } from '../shared/errors.js';
import {
  deliveryStates,
  webhookEventTypes,
  type DeliveryState,
  type WebhookEndpoint,
  type WebhookEndpointUpdate,
  type WebhookEndpointWithSecret,
  type WebhookEventType,
} from './webhooks.schema.js';

const eventsHelp = `comma-separated: ${webhookEventTypes.join(', ')}`;
const isEventType = (name: string): name is WebhookEventType =>
  (webhookEventTypes as readonly string[]).includes(name);
const parseEvents = (value: string): WebhookEventType[] => {
  const names = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const unknown = names.find((name) => !isEventType(name));
  if (unknown !== undefined)
    throw invalidInput(`--events: no event "${unknown}" (${webhookEventTypes.join(', ')})`, {
      field: '--events',
    });
  return names as WebhookEventType[];
};

const parseDeliveryState = (value: string): DeliveryState => {
  const state = deliveryStates.find((s) => s === value);
  if (state === undefined)
    throw invalidInput(`--state must be one of ${deliveryStates.join(', ')}, not "${value}"`, {
      field: '--state',
    });
  return state;
};

const formatEndpoint = (e: WebhookEndpoint): string =>
  formatFields([
    ['id', e.id],
    ['url', e.url],
    ['description', e.description],
    ['events', e.events.join(', ')],
    ['enabled', e.enabled],
    ['secret rotated', formatWhen(e.secretRotatedAt)],
    ['created', formatWhen(e.createdAt)],
  ]);

/** The secret goes to stdout alone (to pipe it into a secret store), the rest to stderr. */
function printWithSecret(
  ctx: CliContext,
  flags: { json?: boolean },
  result: WebhookEndpointWithSecret,
  what: string,
) {
  if (flags.json) return printJson(ctx.io, result);
  printHuman(ctx.io, `${result.secret}\n`);
  printHuman(
    ctx.io,
    safe`webhook endpoint ${result.endpoint.id} ${what}; the secret is shown only this once\n`,
    'err',
  );
}

/** `os-catalog webhooks list|show|add|edit|delete|rotate-secret|deliveries|redeliver`. */
export function registerWebhooksCommands(program: Command, ctx: CliContext): void {
  const webhooks = program
    .command('webhooks')
    .description('storefront webhook endpoints and their delivery logs');

  webhooks
    .command('list')
    .description('list webhook endpoints (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      await runAndPrint(
        ctx,
        'webhooks list',
        flags,
        (app) => app.webhooks.listEndpoints(),
        (list) =>
          formatTable(
            ['ID', 'URL', 'EVENTS', 'ENABLED'],
            list.map((e) => [e.id, e.url, e.events.join(','), e.enabled ? 'yes' : 'no']),
          ),
      );
    });

  webhooks
    .command('show')
    .description('show one webhook endpoint')
    .argument('<id>', 'endpoint id')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      const endpointId = parseId(id, 'id');
      await runAndPrint(
        ctx,
        'webhooks show',
        flags,
        (app) => app.webhooks.getEndpoint(endpointId),
        formatEndpoint,
      );
    });

  withExamples(
    webhooks
      .command('add')
      .description('register an endpoint and print its signing secret once')
      .requiredOption('--url <url>', 'where events are POSTed (http or https)')
      .requiredOption('--events <list>', eventsHelp)
      .option('--description <text>', 'what it is for')
      .option('--disabled', 'register it disabled')
      .option('--json', 'print JSON'),
    'os-catalog webhooks add --url https://shop.example.com/hooks/os --events tariff.list_changed',
  ).action(
    async (flags: {
      url: string;
      events: string;
      description?: string;
      disabled?: boolean;
      json?: boolean;
    }) => {
      await ctx.apps.withApp('webhooks add', async (app) => {
        const created = await app.webhooks.createEndpoint(
          {
            url: flags.url,
            events: parseEvents(flags.events),
            enabled: !flags.disabled,
            ...(flags.description !== undefined ? { description: flags.description } : {}),
          },
          cliActor,
        );
        printWithSecret(ctx, flags, created, 'registered');
      });
    },
  );

  webhooks
    .command('edit')
    .description('change an endpoint (URL, events, enabled, description)')
    .argument('<id>', 'endpoint id')
    .option('--url <url>', 'new URL')
    .option('--events <list>', eventsHelp)
    .option('--description <text>', 'what it is for')
    .option('--enable', 'send it events')
    .option('--disable', 'stop sending it events')
    .option('--json', 'print JSON')
    .action(
      async (
        id: string,
        flags: {
          url?: string;
          events?: string;
          description?: string;
          enable?: boolean;
          disable?: boolean;
          json?: boolean;
        },
      ) => {
        const endpointId = parseId(id, 'id');
        if (flags.enable && flags.disable) throw invalidInput('--enable and --disable exclude each other');
        const update: WebhookEndpointUpdate = {
          ...(flags.url !== undefined ? { url: flags.url } : {}),
          ...(flags.events !== undefined ? { events: parseEvents(flags.events) } : {}),
          ...(flags.description !== undefined ? { description: flags.description } : {}),
          ...(flags.enable ? { enabled: true } : flags.disable ? { enabled: false } : {}),
        };
        await runAndPrint(
          ctx,
          'webhooks edit',
          flags,
          (app) => app.webhooks.updateEndpoint(endpointId, update, cliActor),
          formatEndpoint,
        );
      },
    );

  withExamples(
    webhooks
      .command('delete')
      .description('delete an endpoint, its secret and its delivery log (pending deliveries are not sent)')
      .argument('<id>', 'endpoint id')
      .option('--json', 'print JSON'),
    'os-catalog webhooks delete 3',
  ).action(async (id: string, flags: { json?: boolean }) => {
    const endpointId = parseId(id, 'id');
    await runAndPrint(
      ctx,
      'webhooks delete',
      flags,
      (app) => app.webhooks.deleteEndpoint(endpointId, cliActor),
      ({ endpoint, deliveries: d }) =>
        safe`webhook endpoint ${endpoint.id} (${endpoint.url}) deleted; ${d.pending} pending deliveries will not be sent (log dropped: ${d.delivered} delivered, ${d.failed} failed)\n`,
    );
  });

  webhooks
    .command('rotate-secret')
    .description('replace the signing secret and print the new one once (the old one stops at once)')
    .argument('<id>', 'endpoint id')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      const endpointId = parseId(id, 'id');
      await ctx.apps.withApp('webhooks rotate-secret', async (app) =>
        printWithSecret(
          ctx,
          flags,
          await app.webhooks.rotateSecret(endpointId, cliActor),
          'has a new secret',
        ),
      );
    });

  webhooks
    .command('deliveries')
    .description("an endpoint's delivery log, newest first")
    .argument('<id>', 'endpoint id')
    .option('--limit <n>', 'how many (default 50)')
    .option('--state <state>', 'pending, delivered or failed')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { limit?: string; state?: string; json?: boolean }) => {
      const endpointId = parseId(id, 'id');
      const query = {
        ...(flags.limit !== undefined ? { limit: parseIntFlag(flags.limit, '--limit', { min: 1 }) } : {}),
        ...(flags.state !== undefined ? { state: parseDeliveryState(flags.state) } : {}),
      };
      await runAndPrint(
        ctx,
        'webhooks deliveries',
        flags,
        (app) => app.webhooks.listDeliveries(endpointId, query),
        (list) =>
          formatTable(
            ['ID', 'TIME', 'EVENT', 'STATE', 'STATUS', 'ATTEMPTS', 'LAST ERROR'],
            list.map((d) => [
              d.id,
              formatWhen(d.createdAt),
              d.eventType,
              d.state,
              d.lastStatusCode,
              d.attempts,
              d.lastError,
            ]),
          ),
      );
    });

  webhooks
    .command('redeliver')
    .description('send a delivery again now (same event id)')
    .argument('<id>', 'endpoint id')
    .argument('<deliveryId>', 'delivery id (from webhooks deliveries)')
    .option('--json', 'print JSON')
    .action(async (id: string, deliveryId: string, flags: { json?: boolean }) => {
      const endpointId = parseId(id, 'id');
      const delivery = parseId(deliveryId, 'deliveryId');
      await runAndPrint(
        ctx,
        'webhooks redeliver',
        flags,
        (app) => app.webhooks.redeliver(endpointId, delivery, cliActor),
        (d) => safe`delivery ${d.id} (event ${d.eventId}) is queued to be sent again\n`,
      );
    });
}
