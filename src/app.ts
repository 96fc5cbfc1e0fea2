import type { Database } from './db/database.js';
import { createAuditService } from './audit/audit.service.js';
import { createCatalogService } from './catalog/catalog.service.js';
import { createModulesService } from './modules/modules.service.js';
import { createTariffsService } from './tariffs/tariffs.service.js';
import { systemClock, type Clock } from './shared/clock.js';
import { createLogger, type Logger } from './shared/logger.js';
import type { SecretBox } from './shared/secrets.js';

export interface AppDeps {
  database: Database;
  secrets: SecretBox;
  clock?: Clock;
  logger?: Logger;
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
  const tariffs = createTariffsService({ db, clock });
  const modules = createModulesService({ db, clock, secrets: deps.secrets });
  const audit = createAuditService({ db });
  return { database: deps.database, db, clock, logger, catalog, tariffs, modules, audit };
}

export type App = ReturnType<typeof createApp>;
