import type { Db, DbOrTx } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError, invalidInput, notFound } from '../shared/errors.js';
import { parseWith } from '../shared/validate.js';
import { auditedChange } from '../audit/audited-change.js';
import {
  selectConnectionsOfTemplate,
  selectModuleRow,
  upsertConnection,
} from '../modules/modules.repository.js';
import {
  selectSettingsOfTemplate,
  selectTariffRows,
  selectTariffsByIds,
  upsertTemplateSettings,
} from '../tariffs/tariffs.repository.js';
import {
  selectOsParameter,
  selectParameterOwner,
  selectParameters,
  selectProductTypes,
  selectTemplateCounts,
  selectTemplateRows,
  selectTemplatesOfParameter,
  updateTemplateSorts,
} from './catalog.repository.js';
import { Id, IdList } from '../shared/primitives.schema.js';
import {
  Reorder,
  TemplateEdit,
  type OsTemplate,
  type OsTemplateDetail,
  type OsTemplateListItem,
  type TemplateTariffLink,
} from './catalog.schema.js';
import { decideOrderable, enabledOnTariff, statusOf } from './orderable.rule.js';
import { patchTemplate, requireTemplate } from './template-patch.js';

export type CatalogService = ReturnType<typeof createCatalogService>;

const auditView = (t: OsTemplate) => ({
  displayName: t.displayName,
  sort: t.sort,
  tags: t.tags,
  disabled: t.disabled,
  awaitingReview: t.awaitingReview,
});

/** The OS-template catalog: listing with status, and every admin edit of a template. */
export function createCatalogService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const osParameterOf = async (dbOrTx: DbOrTx, productTypeId?: number) => {
    const parameter = await selectOsParameter(dbOrTx, productTypeId);
    if (!parameter) throw notFound('product type', productTypeId ?? 'default');
    return parameter;
  };

  return {
    async listProductTypes() {
      return selectProductTypes(db);
    },

    async listParameters(productTypeId: number) {
      parseWith(Id, productTypeId, { what: 'productTypeId' });
      const types = await selectProductTypes(db);
      if (!types.some((t) => t.id === productTypeId)) throw notFound('product type', productTypeId);
      return selectParameters(db, productTypeId);
    },

    /** Every template of the product type's OS parameter, with status all / some / none. */
    async listTemplates(
      options: { productTypeId?: number; includeRetired?: boolean } = {},
    ): Promise<OsTemplateListItem[]> {
      const parameter = await osParameterOf(db, options.productTypeId);
      const [templates, counts] = await Promise.all([
        selectTemplatesOfParameter(db, parameter.id),
        selectTemplateCounts(db, parameter.id),
      ]);
      const byId = new Map(counts.map((c) => [c.id, c]));
      return templates
        .filter((t) => options.includeRetired || t.retiredAt === null)
        .map((t) => {
          const c = byId.get(t.id);
          const orderable = c?.orderable_tariffs ?? 0;
          const total = c?.tariff_count ?? 0;
          return {
            ...t,
            status: statusOf(orderable, total),
            orderableTariffCount: orderable,
            tariffCount: total,
            connectedModuleIds: c?.connected_module_ids ?? [],
          };
        });
    },

    /** One template with its modules (connected or not) and tariffs (enabled, orderable, why not). */
    async getTemplate(id: number): Promise<OsTemplateDetail> {
      const template = await requireTemplate(db, id);
      const parameter = await selectParameterOwner(db, template.parameterId);
      const [modules, tariffs, settings] = await Promise.all([
        selectConnectionsOfTemplate(db, parameter.productTypeId, id),
        selectTariffRows(db, parameter.productTypeId),
        selectSettingsOfTemplate(db, id),
      ]);
      const connectedTo = new Set(
        modules.filter((m) => m.connected && m.moduleEnabled).map((m) => m.moduleId),
      );
      const availableOn = new Set(
        modules.filter((m) => m.connected && m.available && m.moduleEnabled).map((m) => m.moduleId),
      );
      const explicitByTariff = new Map(settings.map((s) => [s.tariffId, s.enabled]));
      const tariffLinks: TemplateTariffLink[] = tariffs.map((tariff) => {
        const explicit = explicitByTariff.get(tariff.id) ?? null;
        const decision = decideOrderable({
          retired: template.retiredAt !== null,
          disabled: template.disabled,
          deprecated: template.deprecatedAt !== null,
          awaitingReview: template.awaitingReview,
          explicit,
          connectedToTariffModule: tariff.moduleIds.some((m) => connectedTo.has(m)),
          availableOnTariffModule: tariff.moduleIds.some((m) => availableOn.has(m)),
          minDiskMib: template.minDiskMib,
          tariffDiskMib: tariff.diskMib,
          minRamMib: template.minRamMib,
          tariffRamMib: tariff.ramMib,
        });
        return {
          tariffId: tariff.id,
          tariffName: tariff.name,
          explicit,
          enabled: enabledOnTariff({ explicit, awaitingReview: template.awaitingReview }),
          ...decision,
        };
      });
      const orderable = tariffLinks.filter((t) => t.orderable).length;
      return { ...template, status: statusOf(orderable, tariffLinks.length), modules, tariffs: tariffLinks };
    },

    /** Edits what the admin owns: display name, sort, tags. */
    async editTemplate(id: number, edit: TemplateEdit, actor: string): Promise<OsTemplate> {
      const input = parseWith(TemplateEdit, edit, { what: 'edit' });
      return patchTemplate(deps, {
        id,
        actor,
        action: 'template.edit',
        view: auditView,
        // The name as it is (the edit form sends it back) neither changes nor pins it against sync.
        build: (t) => ({
          ...(input.displayName !== undefined && input.displayName.trim() !== t.displayName
            ? { displayName: input.displayName.trim(), displayNameByAdmin: true }
            : {}),
          ...(input.sort !== undefined ? { sort: input.sort } : {}),
          ...(input.tags !== undefined ? { tags: input.tags } : {}),
        }),
      });
    },

    /** Disables (or re-enables) a template everywhere; sync never undoes this. */
    async setTemplateDisabled(id: number, disabled: boolean, actor: string): Promise<OsTemplate> {
      return patchTemplate(deps, {
        id,
        actor,
        action: disabled ? 'template.disable' : 'template.enable',
        view: auditView,
        // Disabling a disabled template keeps when and by whom it was disabled.
        build: (t) =>
          t.disabled === disabled
            ? {}
            : disabled
              ? { disabled: true, disabledAt: clock.now(), disabledBy: actor }
              : { disabled: false, disabledAt: null, disabledBy: null },
      });
    },

    /** Ends the review of a template added under the `hold` policy: it becomes enabled by default. */
    async approveTemplate(id: number, actor: string): Promise<OsTemplate> {
      return patchTemplate(deps, {
        id,
        actor,
        action: 'template.approve',
        view: auditView,
        build: (t) => {
          if (!t.awaitingReview) throw new AppError('conflict', `template ${id} is not awaiting review`);
          return { awaitingReview: false };
        },
      });
    },

    /** Sets the sort of many templates at once. */
    async reorderTemplates(items: { id: number; sort: number }[], actor: string): Promise<void> {
      const input = parseWith(Reorder, items, { what: 'order' });
      const ids = input.map((i) => i.id);
      if (new Set(ids).size !== ids.length)
        throw invalidInput('order lists a template twice', { field: 'id' });
      await auditedChange(db, clock, async (tx, at) => {
        const found = await selectTemplateRows(tx, ids);
        const missing = ids.find((i) => !found.some((t) => t.id === i));
        if (missing !== undefined) throw notFound('template', missing);
        await updateTemplateSorts(tx, input, at);
        const before = new Map(found.map((t) => [t.id, t.sort]));
        return {
          result: undefined,
          audit: input.map((i) => ({
            actor,
            action: 'template.reorder',
            objectType: 'template',
            objectId: i.id,
            before: { sort: before.get(i.id) },
            after: { sort: i.sort },
          })),
        };
      });
    },

    /** Enables or disables a template on one or many tariffs (explicit decisions). */
    async setTemplateOnTariffs(
      id: number,
      tariffIds: number[],
      enabled: boolean,
      actor: string,
    ): Promise<void> {
      const ids = parseWith(IdList, tariffIds, { what: 'tariffIds' });
      await auditedChange(db, clock, async (tx, at) => {
        const template = await requireTemplate(tx, id, true);
        const parameter = await selectParameterOwner(tx, template.parameterId);
        const found = await selectTariffsByIds(tx, ids);
        const missing = ids.find((t) => !found.some((f) => f.id === t));
        if (missing !== undefined) throw notFound('tariff', missing);
        const foreign = found.find((t) => t.productTypeId !== parameter.productTypeId);
        if (foreign)
          throw invalidInput(`tariff ${foreign.id} belongs to another product type`, { field: 'tariffIds' });
        const previous = new Map(
          (await selectSettingsOfTemplate(tx, id)).map((s) => [s.tariffId, s.enabled]),
        );
        await upsertTemplateSettings(tx, id, ids, enabled, actor, at);
        return {
          result: undefined,
          audit: ids.map((tariffId) => ({
            actor,
            action: enabled ? 'template.tariff_enable' : 'template.tariff_disable',
            objectType: 'template',
            objectId: id,
            before: { tariffId, explicit: previous.get(tariffId) ?? null },
            after: { tariffId, explicit: enabled },
          })),
        };
      });
    },

    /** Connects or disconnects a template on a module by hand. */
    async setTemplateConnection(
      id: number,
      moduleId: number,
      connected: boolean,
      actor: string,
    ): Promise<void> {
      parseWith(Id, moduleId, { what: 'moduleId' });
      await auditedChange(db, clock, async (tx, at) => {
        const template = await requireTemplate(tx, id, true);
        const parameter = await selectParameterOwner(tx, template.parameterId);
        const module = await selectModuleRow(tx, moduleId);
        if (!module) throw notFound('module', moduleId);
        if (module.productTypeId !== parameter.productTypeId) {
          throw invalidInput(`module ${moduleId} belongs to another product type`, { field: 'moduleId' });
        }
        const before = (await selectConnectionsOfTemplate(tx, parameter.productTypeId, id)).find(
          (c) => c.moduleId === moduleId,
        );
        await upsertConnection(tx, moduleId, id, connected, at);
        return {
          result: undefined,
          audit: {
            actor,
            action: connected ? 'template.connect' : 'template.disconnect',
            objectType: 'template',
            objectId: id,
            before: { moduleId, connected: before?.connected ?? false },
            after: { moduleId, connected },
          },
        };
      });
    },
  };
}
