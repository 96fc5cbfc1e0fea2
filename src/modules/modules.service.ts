import { Cron } from 'croner';
import type { Db, DbOrTx, Tx } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { conflict, invalidInput, notFound } from '../shared/errors.js';
import type { SecretBox } from '../shared/secrets.js';
import { checkOutboundUrl, type OutboundAllowList } from '../shared/outbound.js';
import { parseWith } from '../shared/validate.js';
import { changesNothing } from '../shared/unchanged.js';
import { auditedChange, recordAuditedChange, type AuditedWrite } from '../audit/audited-change.js';
import { selectProductTypes } from '../catalog/catalog.repository.js';
import { Id } from '../shared/primitives.schema.js';
import type { VmmanagerClientFactory, VmmanagerModuleConnection } from '../vmmanager6/vmmanager6.factory.js';
import { testVmmanagerConnection } from '../vmmanager6/vmmanager6.service.js';
import { normalizeVmmanagerUrl } from '../vmmanager6/vmmanager6.url.js';
import {
  insertModuleRow,
  moduleRowToModule,
  selectModuleByName,
  selectModuleRow,
  selectModuleRows,
  updateModuleRow,
  type ModuleRow,
} from './modules.repository.js';
import {
  ConnectionSettings,
  connectionDefaults,
  ModuleCreate,
  ModuleUpdate,
  type AuthMethod,
  type ModuleConnectionTest,
  type ProcessingModule,
} from './modules.schema.js';

export type ModulesService = ReturnType<typeof createModulesService>;

// The URL as stored and tested: a pasted `…/vm/v3/` or browser address cut to the base.
const withBaseUrl = <T extends { url?: string | undefined }>(data: T): T =>
  data.url === undefined ? data : { ...data, url: normalizeVmmanagerUrl(data.url) };

/** Throws `invalid_input` unless `expression` is a cron pattern croner accepts. */
export function checkCronExpression(expression: string): void {
  try {
    new Cron(expression, { paused: true }).stop();
  } catch (error) {
    throw invalidInput(
      `schedule "${expression}" is not a valid cron expression: ${(error as Error).message}`,
      {
        field: 'schedule',
      },
    );
  }
}

// The audit log shows that a password or an API token changed, never the secret.
const auditView = (m: ProcessingModule, secretChanged = false) => {
  const { health: _health, createdAt: _c, updatedAt: _u, ...rest } = m;
  if (!secretChanged) return rest;
  return { ...rest, [m.authMethod === 'token' ? 'apiToken' : 'password']: 'changed' };
};

/**
 * The secret an input gives, with the way of signing in it means: the password or an API token,
 * never both; `required` (a new module, a connection test) refuses neither.
 */
function secretOf(
  data: { password?: string | undefined; apiToken?: string | undefined },
  required: boolean,
): { authMethod: AuthMethod; secret: string } | undefined {
  if (data.password !== undefined && data.apiToken !== undefined)
    throw invalidInput('give either the password or an API token, not both', { field: 'apiToken' });
  if (data.apiToken !== undefined) return { authMethod: 'token', secret: data.apiToken };
  if (data.password !== undefined) return { authMethod: 'password', secret: data.password };
  if (required) throw invalidInput('give the password or an API token', { field: 'password' });
  return undefined;
}

export interface ModulesServiceDeps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  /** How the connection test reaches VMmanager 6 (tests point it at the simulator). */
  vmmanagerClientFactory: VmmanagerClientFactory;
  /** `OSCAT_OUTBOUND_ALLOW`: where module URLs and webhooks may point (unset: anywhere). */
  outboundAllow?: OutboundAllowList | undefined;
}

/** Processing modules: stored with the password encrypted; never read back through here. */
export function createModulesService(deps: ModulesServiceDeps) {
  const { db, clock, secrets } = deps;
  // Where the module's calls and alerts go: no user:pass@, inside the allow-list when one is set.
  const checkUrls = (data: { url?: string | undefined; webhookUrl?: string | null | undefined }) => {
    if (data.url !== undefined) checkOutboundUrl(data.url, 'url', deps.outboundAllow);
    if (typeof data.webhookUrl === 'string')
      checkOutboundUrl(data.webhookUrl, 'webhookUrl', deps.outboundAllow);
  };

  // The one connection test: a client of its own, closed whatever the outcome.
  const testWith = async (connection: VmmanagerModuleConnection): Promise<ModuleConnectionTest> => {
    const client = deps.vmmanagerClientFactory(connection);
    try {
      const result = await testVmmanagerConnection(client, {
        email: connection.adminEmail,
        clusterId: connection.clusterId,
      });
      return { ...result, url: normalizeVmmanagerUrl(connection.url) };
    } finally {
      await client.close();
    }
  };

  const requireRow = async (dbOrTx: DbOrTx, id: number, forUpdate = false): Promise<ModuleRow> => {
    parseWith(Id, id, { what: 'moduleId' });
    const row = await selectModuleRow(dbOrTx, id, forUpdate);
    if (!row) throw notFound('module', id);
    return row;
  };

  const checkNameFree = async (tx: Tx, productTypeId: number, name: string, exceptId?: number) => {
    const existing = await selectModuleByName(tx, productTypeId, name);
    if (existing && existing.id !== exceptId)
      throw conflict(`a module named "${name}" already exists`, { field: 'name' });
  };

  return {
    async listModules(productTypeId?: number): Promise<ProcessingModule[]> {
      return (await selectModuleRows(db, productTypeId)).map(moduleRowToModule);
    },

    async getModule(id: number): Promise<ProcessingModule> {
      return moduleRowToModule(await requireRow(db, id));
    },

    /** Validates a module without storing it (the connection test runs before create). */
    validateCreate(input: ModuleCreate): ModuleCreate {
      const data = withBaseUrl(parseWith(ModuleCreate, input, { what: 'module' }));
      if (data.schedule !== undefined) checkCronExpression(data.schedule);
      checkUrls(data);
      secretOf(data, true);
      return data;
    },

    async createModule(input: ModuleCreate, actor: string, tx?: Tx): Promise<ProcessingModule> {
      const data = this.validateCreate(input);
      const write: AuditedWrite<ProcessingModule> = async (t, at) => {
        const types = await selectProductTypes(t);
        const productType =
          data.productTypeId === undefined ? types[0] : types.find((p) => p.id === data.productTypeId);
        if (!productType) throw notFound('product type', data.productTypeId ?? 'default');
        const name = data.name.trim();
        await checkNameFree(t, productType.id, name);
        const { password: _pw, apiToken: _t, productTypeId: _p, ...rest } = data;
        const { authMethod, secret } = secretOf(data, true)!;
        const row = await insertModuleRow(t, {
          ...rest,
          name,
          productTypeId: productType.id,
          authMethod,
          passwordEncrypted: secrets.encrypt(secret),
          createdAt: at,
          updatedAt: at,
        });
        const created = moduleRowToModule(row);
        return {
          result: created,
          audit: {
            actor,
            action: 'module.create',
            objectType: 'module',
            objectId: row.id,
            after: auditView(created, true),
          },
        };
      };
      return tx ? recordAuditedChange(tx, clock, write) : auditedChange(db, clock, write);
    },

    async updateModule(id: number, input: ModuleUpdate, actor: string): Promise<ProcessingModule> {
      const data = withBaseUrl(parseWith(ModuleUpdate, input, { what: 'module' }));
      if (data.schedule !== undefined) checkCronExpression(data.schedule);
      checkUrls(data);
      return auditedChange(db, clock, async (tx, at) => {
        const beforeRow = await requireRow(tx, id, true);
        requireSecretForNewTarget(beforeRow, data);
        if (data.name !== undefined) await checkNameFree(tx, beforeRow.productTypeId, data.name.trim(), id);
        const { password: _pw, apiToken: _t, ...rest } = data;
        const secret = secretOf(data, false);
        const changes = { ...rest, ...(rest.name !== undefined ? { name: rest.name.trim() } : {}) };
        const before = moduleRowToModule(beforeRow);
        if (!secret && changesNothing(before, changes)) return { result: before, audit: [] };
        const row = await updateModuleRow(tx, id, {
          ...changes,
          ...(secret
            ? { authMethod: secret.authMethod, passwordEncrypted: secrets.encrypt(secret.secret) }
            : {}),
          updatedAt: at,
        });
        const after = moduleRowToModule(row);
        return {
          result: after,
          audit: {
            actor,
            action: 'module.update',
            objectType: 'module',
            objectId: id,
            before: auditView(before),
            after: auditView(after, secret !== undefined),
          },
        };
      });
    },

    async setModuleEnabled(id: number, enabled: boolean, actor: string): Promise<ProcessingModule> {
      return this.updateModule(id, { enabled }, actor);
    },

    /**
     * Tests connection settings before a module exists (nothing is stored): logs in, checks the
     * account and the cluster. Unset settings take a new module's defaults.
     */
    async testConnection(settings: ConnectionSettings): Promise<ModuleConnectionTest> {
      const input = withBaseUrl(parseWith(ConnectionSettings, settings, { what: 'connection' }));
      checkUrls(input);
      const { authMethod, secret } = secretOf(input, true)!;
      return testWith({
        url: input.url,
        adminEmail: input.adminEmail,
        password: authMethod === 'password' ? secret : null,
        apiToken: authMethod === 'token' ? secret : null,
        clusterId: input.clusterId ?? null,
        verifyTls: input.verifyTls ?? connectionDefaults.verifyTls,
        connectTimeoutMs: input.connectTimeoutMs ?? connectionDefaults.connectTimeoutMs,
        requestTimeoutMs: input.requestTimeoutMs ?? connectionDefaults.requestTimeoutMs,
        maxAnswerBytes: input.maxAnswerBytes ?? connectionDefaults.maxAnswerBytes,
      });
    },

    /** Tests the stored connection of a module. */
    async testModuleConnection(id: number): Promise<ModuleConnectionTest> {
      return testWith(moduleRowToConnection(await requireRow(db, id), secrets));
    },

    /** The decrypted connection settings of a module: for the connector only, never for output. */
    async getModuleConnection(id: number): Promise<VmmanagerModuleConnection> {
      const row = await requireRow(db, id);
      return moduleRowToConnection(row, secrets);
    },
  };
}

/**
 * The stored secret is only ever sent to the host and account it was entered for: a new URL or
 * admin email must come with the password again (else Test connection or the next sync would
 * post the old one to the new host).
 */
function requireSecretForNewTarget(row: ModuleRow, data: ModuleUpdate): void {
  const moves =
    (data.url !== undefined && data.url !== normalizeVmmanagerUrl(row.url)) ||
    (data.adminEmail !== undefined && data.adminEmail !== row.adminEmail);
  if (moves && data.password === undefined && data.apiToken === undefined) {
    throw invalidInput(
      'a new URL or admin email needs the password too (or the API token): enter the password again (the stored one is only sent to the host and account it was entered for)',
      { field: 'password' },
    );
  }
}

/** Decrypts what the connector needs; the only place a module password is turned back to text. */
export function moduleRowToConnection(row: ModuleRow, secrets: SecretBox): VmmanagerModuleConnection {
  return {
    url: row.url,
    adminEmail: row.adminEmail,
    ...(row.authMethod === 'token'
      ? { password: null, apiToken: secrets.decrypt(row.passwordEncrypted) }
      : { password: secrets.decrypt(row.passwordEncrypted), apiToken: null }),
    clusterId: row.clusterId,
    verifyTls: row.verifyTls,
    connectTimeoutMs: row.connectTimeoutMs,
    requestTimeoutMs: row.requestTimeoutMs,
    maxAnswerBytes: row.maxAnswerBytes,
  };
}
