import { resolve } from 'node:path';
import { Type } from 'typebox';
import { parseWith } from './shared/validate.js';
import { defaultRetention, type RetentionSettings } from './retention/retention.settings.js';
import { checkOutboundUrl, parseOutboundAllowList, type OutboundAllowList } from './shared/outbound.js';

// A whole number of days, 1 to 99999.
const days = '^[1-9][0-9]{0,4}$';

const EnvSchema = Type.Object({
  OSCAT_DATA_DIR: Type.Optional(Type.String({ minLength: 1 })),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  OSCAT_SECRET_KEY: Type.Optional(Type.String({ minLength: 16 })),
  OSCAT_PORT: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
  OSCAT_HOST: Type.Optional(Type.String({ minLength: 1 })),
  OSCAT_DEMO: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')])),
  OSCAT_LOG_LEVEL: Type.Optional(
    Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  ),
  OSCAT_ALERT_WEBHOOK: Type.Optional(Type.String({ pattern: '^https?://' })),
  OSCAT_INSTANCE_ID: Type.Optional(Type.String({ minLength: 1 })),
  OSCAT_OUTBOUND_ALLOW: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000 })),
  OSCAT_RETAIN_WEBHOOK_DAYS: Type.Optional(Type.String({ pattern: days })),
  OSCAT_RETAIN_UNCHANGED_RUNS_DAYS: Type.Optional(Type.String({ pattern: days })),
  OSCAT_RETAIN_CHANGED_RUNS_DAYS: Type.Optional(Type.String({ pattern: `${days}|^forever$` })),
});

/** Settings read from the environment at start; see README "Configuration". */
export interface Config {
  dataDir: string;
  databaseUrl: string | undefined;
  secretKey: string | undefined;
  port: number;
  host: string;
  /** Undefined means "decide": the demo runs when nothing real is configured. */
  demo: boolean | undefined;
  logLevel: string;
  alertWebhook: string | undefined;
  instanceId: string | undefined;
  /** `OSCAT_OUTBOUND_ALLOW`: the only hosts and networks outgoing calls may reach (unset: any). */
  outboundAllow: OutboundAllowList | undefined;
  /** `OSCAT_RETAIN_*`: how long the sync history and the webhook outbox are kept. */
  retention: RetentionSettings;
}

const nonEmpty = (env: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env)
      .filter(
        (entry): entry is [string, string] => entry[0].startsWith('OSCAT_') || entry[0] === 'DATABASE_URL',
      )
      .filter(([, v]) => v !== ''),
  );

/** Parses the environment; a bad value is an `invalid_input` error naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = parseWith(Type.Object(EnvSchema.properties), nonEmpty(env), { what: 'environment' });
  const port = Number(parsed.OSCAT_PORT ?? '8080');
  if (port > 65535) parseWith(Type.Integer({ maximum: 65535 }), port, { what: 'environment.OSCAT_PORT' });
  const outboundAllow =
    parsed.OSCAT_OUTBOUND_ALLOW === undefined
      ? undefined
      : parseOutboundAllowList(parsed.OSCAT_OUTBOUND_ALLOW);
  if (parsed.OSCAT_ALERT_WEBHOOK !== undefined)
    checkOutboundUrl(parsed.OSCAT_ALERT_WEBHOOK, 'OSCAT_ALERT_WEBHOOK', outboundAllow);
  return {
    dataDir: resolve(parsed.OSCAT_DATA_DIR ?? './data'),
    databaseUrl: parsed.DATABASE_URL,
    secretKey: parsed.OSCAT_SECRET_KEY,
    port,
    host: parsed.OSCAT_HOST ?? '127.0.0.1',
    demo: parsed.OSCAT_DEMO === undefined ? undefined : parsed.OSCAT_DEMO === '1',
    logLevel: parsed.OSCAT_LOG_LEVEL ?? 'info',
    alertWebhook: parsed.OSCAT_ALERT_WEBHOOK,
    instanceId: parsed.OSCAT_INSTANCE_ID,
    outboundAllow,
    retention: {
      webhookDays: Number(parsed.OSCAT_RETAIN_WEBHOOK_DAYS ?? defaultRetention.webhookDays),
      unchangedRunDays: Number(parsed.OSCAT_RETAIN_UNCHANGED_RUNS_DAYS ?? defaultRetention.unchangedRunDays),
      changedRunDays:
        parsed.OSCAT_RETAIN_CHANGED_RUNS_DAYS === undefined ||
        parsed.OSCAT_RETAIN_CHANGED_RUNS_DAYS === 'forever'
          ? defaultRetention.changedRunDays
          : Number(parsed.OSCAT_RETAIN_CHANGED_RUNS_DAYS),
    },
  };
}
