import type { Db, Tx } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { conflict, invalidInput, notFound } from '../shared/errors.js';
import { parseWith } from '../shared/validate.js';
import { auditedChange } from '../audit/audited-change.js';
import { selectTemplateRow } from '../catalog/catalog.repository.js';
import { Id } from '../shared/primitives.schema.js';
import type { OsTemplate } from '../catalog/catalog.schema.js';
import {
  copyTariffDecisions,
  disconnectEverywhere,
  patchValueForRemap,
  selectRenameCandidates,
  selectValueIdsByInternalName,
} from './sync-remap.repository.js';
import { RemapInput, type StoredRenameCandidate } from './sync.schema.js';

/** What a remap did. */
export interface RemapResult {
  from: OsTemplate;
  to: OsTemplate;
  /** Explicit tariff decisions copied to the new value. */
  copiedTariffDecisions: number;
}

// Everything an admin decided about a template and that a remap carries over.
const adminOwned = (t: OsTemplate) => ({
  sort: t.sort,
  tags: t.tags,
  disabled: t.disabled,
  disabledAt: t.disabledAt,
  disabledBy: t.disabledBy,
  awaitingReview: t.awaitingReview,
  ...(t.displayNameByAdmin ? { displayName: t.displayName, displayNameByAdmin: true } : {}),
});

/** Rename candidates and the remap that resolves one. */
export function createRemapService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  const resolveId = async (tx: Tx, id: number | undefined, internalName: string | undefined) => {
    if (id !== undefined) return id;
    const ids = await selectValueIdsByInternalName(tx, internalName!);
    if (ids.length === 0) throw notFound('template', internalName);
    if (ids.length > 1) throw invalidInput(`several templates are named "${internalName}": remap by id`);
    return ids[0]!;
  };

  const lockValue = async (tx: Tx, id: number): Promise<OsTemplate> => {
    const template = await selectTemplateRow(tx, id, true);
    if (!template) throw notFound('template', id);
    return template;
  };

  return {
    /** Pairs that look like a rename upstream (same upstream id, or same name ignoring case). */
    async listRenameCandidates(moduleId?: number): Promise<StoredRenameCandidate[]> {
      if (moduleId !== undefined) parseWith(Id, moduleId, { what: 'moduleId' });
      return selectRenameCandidates(db, moduleId);
    },

    /**
     * Moves what the admin decided about the old template (explicit tariff decisions, sort, tags,
     * disabled flag, display-name override, review state) to the new one, then retires and
     * disconnects the old one; one transaction, with audit rows.
     */
    async remapTemplate(input: RemapInput, actor: string): Promise<RemapResult> {
      const data = parseWith(RemapInput, input, { what: 'remap' });
      return auditedChange(db, clock, async (tx, at) => {
        const fromId = await resolveId(
          tx,
          'fromValueId' in data ? data.fromValueId : undefined,
          'fromInternalName' in data ? data.fromInternalName : undefined,
        );
        const toId = await resolveId(
          tx,
          'toValueId' in data ? data.toValueId : undefined,
          'toInternalName' in data ? data.toInternalName : undefined,
        );
        if (fromId === toId) throw invalidInput('a template cannot be remapped to itself');
        // Lock in id order so two remaps of the same pair cannot deadlock.
        const [first, second] = fromId < toId ? [fromId, toId] : [toId, fromId];
        const locked = new Map([
          [first, await lockValue(tx, first)],
          [second, await lockValue(tx, second)],
        ]);
        const from = locked.get(fromId)!;
        const to = locked.get(toId)!;
        if (from.parameterId !== to.parameterId)
          throw invalidInput('both templates must belong to the same product type');
        if (from.retiredAt) throw conflict(`template ${from.internalName} is already retired`);
        const copied = await copyTariffDecisions(tx, fromId, toId);
        await patchValueForRemap(tx, toId, { ...adminOwned(from), retiredAt: null }, at);
        await patchValueForRemap(tx, fromId, { retiredAt: at }, at);
        await disconnectEverywhere(tx, fromId, at);
        const fromAfter = await lockValue(tx, fromId);
        const toAfter = await lockValue(tx, toId);
        return {
          result: { from: fromAfter, to: toAfter, copiedTariffDecisions: copied },
          audit: [
            {
              actor,
              action: 'template.remap',
              objectType: 'template',
              objectId: fromId,
              before: { internalName: from.internalName, retiredAt: null },
              after: { retiredAt: at, remappedTo: { id: toId, internalName: to.internalName } },
            },
            {
              actor,
              action: 'template.remap',
              objectType: 'template',
              objectId: toId,
              before: adminOwned(to),
              after: {
                ...adminOwned(toAfter),
                remappedFrom: { id: fromId, internalName: from.internalName },
                copiedTariffDecisions: copied,
              },
            },
          ],
        };
      });
    },
  };
}
