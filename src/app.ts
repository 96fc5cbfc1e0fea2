import type { Database } from './db/database.js';
import { createAuditService } from './audit/audit.service.js';
import { createAuthService } from './auth/auth.service.js';
import { createCatalogService } from './catalog/catalog.service.js';
import { createLifecycleService } from './catalog/lifecycle.service.js';
import { createModulesService } from './modules/modules.service.js';
import { createTariffsService } from './tariffs/tariffs.service.js';
import { createSyncService } from './sync/sync.service.js';
import { createOnboardingService } from './modules/module-onboarding.service.js';
import { createRemapService } from './sync/sync-remap.service.js';
import { createOrdersService } from './tariffs/order-check.service.js';
import { createWebhooksService } from './webhooks/webhooks.service.js';
import { createRetentionService, type RetentionSettings } from './retention/retention.service.js';
import { createWebhookDeliveryService } from './webhooks/webhook-delivery.service.js';
import {
  createVmmanagerClientFactory,
  type VmmanagerClientFactory,
} from './vmmanager6/vmmanager6.factory.js';
import { systemClock, type Clock } from './shared/clock.js';
import { createLogger, type Logger } from './shared/logger.js';
import type { SecretBox } from './shared/secrets.js';
import type { OutboundAllowList } from './shared/outbound.js';
import type { OutboundPoster } from './shared/outbound-post.js';

export interface AppDeps {
  database: Database;
  secrets: SecretBox;
  clock?: Clock;
  logger?: Logger;
  /** How sync reaches VMmanager 6 (tests point it at the simulator). */
  vmmanagerClientFactory?: VmmanagerClientFactory;
  /** Global webhook for failed or held syncs (`OSCAT_ALERT_WEBHOOK`). */
  alertWebhook?: string | undefined;
  /** `OSCAT_OUTBOUND_ALLOW`: where VMmanager and webhook calls may go (unset: anywhere). */
  outboundAllow?: OutboundAllowList | undefined;
  /** How storefront webhooks are POSTed (tests pass one with a short timeout). */
  webhookPoster?: OutboundPoster;
  /** `OSCAT_RETAIN_*`: how long history is kept (default: `defaultRetention`). */
  retention?: RetentionSettings;
}

/**
 * The one composition root: builds every service once. The HTTP server, the scheduler and the
 * CLI all start from here and call the same services.
 */
export function createApp(deps: AppDeps) {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger({ level: 'silent' });
  const { db } = deps.database;
  const catalog = createCatalogService({ db, clock });
  const lifecycle = createLifecycleService({ db, clock });
  const tariffs = createTariffsService({ db, clock });
  const outboundAllow = deps.outboundAllow;
  const vmmanagerClientFactory =
    deps.vmmanagerClientFactory ?? createVmmanagerClientFactory(logger, { allow: outboundAllow });
  const modules = createModulesService({
    db,
    clock,
    secrets: deps.secrets,
    vmmanagerClientFactory,
    outboundAllow,
  });
  const orders = createOrdersService({ db });
  const audit = createAuditService({ db });
  const sync = createSyncService({
    db,
    engine: deps.database.engine,
    clock,
    logger,
    secrets: deps.secrets,
    vmmanagerClientFactory,
    alertWebhook: deps.alertWebhook,
    outboundAllow,
  });
  const remap = createRemapService({ db, clock });
  const onboarding = createOnboardingService({
    modules,
    runSync: (moduleId, options) => sync.runSync(moduleId, options),
  });
  const auth = createAuthService({ database: deps.database, clock, logger });
  const webhooks = createWebhooksService({ db, clock, secrets: deps.secrets, outboundAllow });
  const webhookDelivery = createWebhookDeliveryService({
    db,
    clock,
    logger,
    secrets: deps.secrets,
    outboundAllow,
    ...(deps.webhookPoster ? { poster: deps.webhookPoster } : {}),
  });
  const retention = createRetentionService({
    db,
    clock,
    ...(deps.retention ? { settings: deps.retention } : {}),
  });
  return {
    database: deps.database,
    db,
    clock,
    logger,
    outboundAllow,
    vmmanagerClientFactory,
    catalog,
    lifecycle,
    tariffs,
    orders,
    modules,
    audit,
    auth,
    sync,
    remap,
    onboarding,
    webhooks,
    webhookDelivery,
    retention,
  };
}

export type App = ReturnType<typeof createApp>;
