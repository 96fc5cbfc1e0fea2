import type { Db, DbOrTx, Tx } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { conflict, invalidInput, notFound } from '../shared/errors.js';
import { parseWith } from '../shared/validate.js';
import { changesNothing } from '../shared/unchanged.js';
import { auditedChange } from '../audit/audited-change.js';
import { selectProductTypes } from '../catalog/catalog.repository.js';
import { Id } from '../shared/primitives.schema.js';
import { selectModuleRows } from '../modules/modules.repository.js';
import {
  copyTariffSettings,
  insertTariffRow,
  replaceTariffModules,
  selectTariffByName,
  selectTariffRow,
  selectTariffRows,
  updateTariffRow,
} from './tariffs.repository.js';
import { selectOrderableTemplates } from './orderable.repository.js';
import {
  DiskMib,
  RamMib,
  ModuleIds,
  TariffClone,
  TariffCreate,
  TariffUpdate,
  type OrderableTemplate,
  type Tariff,
} from './tariffs.schema.js';
import { renderStorefrontList, type StorefrontList } from './storefront-list.js';
import type { OrderPurpose } from '../catalog/orderable.rule.js';

export type TariffsService = ReturnType<typeof createTariffsService>;

const auditView = (t: Tariff) => ({
  name: t.name,
  diskMib: t.diskMib,
  ramMib: t.ramMib,
  moduleIds: t.moduleIds,
});

/** Tariff plans: create, update, clone, set modules, and the order form's OS list. */
export function createTariffsService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const requireTariff = async (dbOrTx: DbOrTx, id: number, forUpdate = false): Promise<Tariff> => {
    parseWith(Id, id, { what: 'tariffId' });
    const tariff = await selectTariffRow(dbOrTx, id, forUpdate);
    if (!tariff) throw notFound('tariff', id);
    return tariff;
  };

  const defaultProductTypeId = async (dbOrTx: DbOrTx, productTypeId?: number): Promise<number> => {
    const types = await selectProductTypes(dbOrTx);
    const chosen = productTypeId === undefined ? types[0] : types.find((t) => t.id === productTypeId);
    if (!chosen) throw notFound('product type', productTypeId ?? 'default');
    return chosen.id;
  };

  const checkModules = async (tx: Tx, productTypeId: number, moduleIds: number[]): Promise<void> => {
    const modules = await selectModuleRows(tx);
    for (const id of moduleIds) {
      const module = modules.find((m) => m.id === id);
      if (!module) throw notFound('module', id);
      if (module.productTypeId !== productTypeId) {
        throw invalidInput(`module ${id} belongs to another product type`, { field: 'moduleIds' });
      }
    }
  };

  const checkNameFree = async (tx: Tx, productTypeId: number, name: string, exceptId?: number) => {
    const existing = await selectTariffByName(tx, productTypeId, name);
    if (existing && existing.id !== exceptId)
      throw conflict(`a tariff named "${name}" already exists`, { field: 'name' });
  };

  /**
   * Changes one tariff in a transaction and records before → after in the audit log; `changes`
   * (what the write sets) changing nothing writes nothing.
   */
  const changeTariff = async (
    id: number,
    actor: string,
    action: string,
    changes: (before: Tariff) => Partial<Tariff>,
    change: (tx: Tx, before: Tariff, at: Date) => Promise<void>,
  ): Promise<Tariff> =>
    auditedChange(db, clock, async (tx, at) => {
      const before = await requireTariff(tx, id, true);
      if (changesNothing(before, changes(before))) return { result: before, audit: [] };
      await change(tx, before, at);
      const after = await requireTariff(tx, id);
      return {
        result: after,
        audit: {
          actor,
          action,
          objectType: 'tariff',
          objectId: id,
          before: auditView(before),
          after: auditView(after),
        },
      };
    });

  return {
    async listTariffs(productTypeId?: number): Promise<Tariff[]> {
      return selectTariffRows(db, productTypeId);
    },

    async getTariff(id: number): Promise<Tariff> {
      return requireTariff(db, id);
    },

    async createTariff(input: TariffCreate, actor: string): Promise<Tariff> {
      const data = parseWith(TariffCreate, input, { what: 'tariff' });
      return auditedChange(db, clock, async (tx, at) => {
        const productTypeId = await defaultProductTypeId(tx, data.productTypeId);
        const name = data.name.trim();
        await checkNameFree(tx, productTypeId, name);
        await checkModules(tx, productTypeId, data.moduleIds ?? []);
        const row = await insertTariffRow(tx, {
          productTypeId,
          name,
          diskMib: data.diskMib ?? null,
          ramMib: data.ramMib ?? null,
          createdAt: at,
          updatedAt: at,
        });
        await replaceTariffModules(tx, row.id, data.moduleIds ?? []);
        const created = await requireTariff(tx, row.id);
        return {
          result: created,
          audit: {
            actor,
            action: 'tariff.create',
            objectType: 'tariff',
            objectId: row.id,
            after: auditView(created),
          },
        };
      });
    },

    async updateTariff(id: number, input: TariffUpdate, actor: string): Promise<Tariff> {
      const data = parseWith(TariffUpdate, input, { what: 'tariff' });
      const changes = {
        ...(data.name !== undefined ? { name: data.name.trim() } : {}),
        ...(data.diskMib !== undefined ? { diskMib: data.diskMib } : {}),
        ...(data.ramMib !== undefined ? { ramMib: data.ramMib } : {}),
      };
      return changeTariff(
        id,
        actor,
        'tariff.update',
        () => changes,
        async (tx, before, at) => {
          if (changes.name !== undefined) await checkNameFree(tx, before.productTypeId, changes.name, id);
          await updateTariffRow(tx, id, { ...changes, updatedAt: at });
        },
      );
    },

    /** Replaces the modules a tariff uses. */
    async setTariffModules(id: number, moduleIds: number[], actor: string): Promise<Tariff> {
      const ids = parseWith(ModuleIds, moduleIds, { what: 'moduleIds' });
      // The same modules in any order are the same set (the tariff lists them by id).
      const sorted = [...new Set(ids)].sort((a, b) => a - b);
      return changeTariff(
        id,
        actor,
        'tariff.set_modules',
        () => ({ moduleIds: sorted }),
        async (tx, before, at) => {
          await checkModules(tx, before.productTypeId, ids);
          await replaceTariffModules(tx, id, ids);
          await updateTariffRow(tx, id, { updatedAt: at });
        },
      );
    },

    /**
     * Clones a tariff: same disk, RAM, modules and per-template decisions, copied, so that changing
     * the clone never changes the original. The seed clones tariffs to give each its own module.
     */
    async cloneTariff(id: number, input: TariffClone, actor: string): Promise<Tariff> {
      const data = parseWith(TariffClone, input, { what: 'clone' });
      return auditedChange(db, clock, async (tx, at) => {
        const source = await requireTariff(tx, id, true);
        const name = data.name?.trim() ?? (await freeCopyName(tx, source));
        await checkNameFree(tx, source.productTypeId, name);
        const moduleIds = data.moduleIds ?? source.moduleIds;
        await checkModules(tx, source.productTypeId, moduleIds);
        const row = await insertTariffRow(tx, {
          productTypeId: source.productTypeId,
          name,
          diskMib: source.diskMib,
          ramMib: source.ramMib,
          clonedFromId: source.id,
          createdAt: at,
          updatedAt: at,
        });
        await replaceTariffModules(tx, row.id, moduleIds);
        await copyTariffSettings(tx, source.id, row.id, at);
        const clone = await requireTariff(tx, row.id);
        return {
          result: clone,
          audit: {
            actor,
            action: 'tariff.clone',
            objectType: 'tariff',
            objectId: row.id,
            before: { clonedFrom: id },
            after: auditView(clone),
          },
        };
      });
    },

    /**
     * The order form's OS list of a tariff (optionally for a disk and RAM the customer chose), or
     * with `purpose: 'reinstall'` what an existing service may reinstall to.
     */
    async listOrderableTemplates(
      id: number,
      options: { diskMib?: number; ramMib?: number; purpose?: OrderPurpose } = {},
    ): Promise<OrderableTemplate[]> {
      if (options.diskMib !== undefined) parseWith(DiskMib, options.diskMib, { what: 'diskMib' });
      if (options.ramMib !== undefined) parseWith(RamMib, options.ramMib, { what: 'ramMib' });
      await requireTariff(db, id);
      const { purpose, ...sizes } = options;
      return selectOrderableTemplates(db, id, sizes, purpose);
    },

    /** The storefront's OS list of a tariff as sent: JSON bytes and their ETag. */
    async renderStorefrontList(id: number, purpose: OrderPurpose = 'order'): Promise<StorefrontList> {
      await requireTariff(db, id);
      return renderStorefrontList(db, id, purpose);
    },
  };
}

async function freeCopyName(tx: Tx, source: Tariff): Promise<string> {
  for (let n = 1; n < 1000; n += 1) {
    const candidate = n === 1 ? `${source.name} (copy)` : `${source.name} (copy ${n})`;
    if (!(await selectTariffByName(tx, source.productTypeId, candidate))) return candidate;
  }
  throw conflict('could not find a free name for the clone; give one');
}
