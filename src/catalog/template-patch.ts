import type { Db, DbOrTx, Tx } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import { parseWith } from '../shared/validate.js';
import { changesNothing } from '../shared/unchanged.js';
import { Id } from '../shared/primitives.schema.js';
import { auditedChange } from '../audit/audited-change.js';
import { selectTemplateRow, updateTemplateRow, type TemplatePatch } from './catalog.repository.js';
import type { OsTemplate } from './catalog.schema.js';

/** Reads one template (locked for the transaction with `forUpdate`); not_found when there is none. */
export async function requireTemplate(dbOrTx: DbOrTx, id: number, forUpdate = false): Promise<OsTemplate> {
  parseWith(Id, id, { what: 'templateId' });
  const template = await selectTemplateRow(dbOrTx, id, forUpdate);
  if (!template) throw notFound('template', id);
  return template;
}

/** One admin edit of one template: what it writes, and which fields its audit entry shows. */
export interface TemplateChange {
  id: number;
  actor: string;
  action: string;
  /** The columns to write, from the template as it is (locked); may read more inside `tx` or refuse. */
  build: (template: OsTemplate, at: Date, tx: Tx) => TemplatePatch | Promise<TemplatePatch>;
  /** The fields the audit entry records before and after. */
  view: (template: OsTemplate) => Record<string, unknown>;
}

/**
 * Updates one template in a transaction of its own and records the change in the audit log in
 * that same transaction: every edit of a template's own columns (catalog and lifecycle) goes here.
 * A patch that changes nothing writes nothing (see `changesNothing`).
 */
export async function patchTemplate(
  deps: { db: Db; clock: Clock },
  change: TemplateChange,
): Promise<OsTemplate> {
  const { id, actor, action, build, view } = change;
  return auditedChange(deps.db, deps.clock, async (tx, at) => {
    const before = await requireTemplate(tx, id, true);
    const patch = await build(before, at, tx);
    if (changesNothing(before, patch)) return { result: before, audit: [] };
    const after = await updateTemplateRow(tx, id, patch, at);
    return {
      result: after,
      audit: {
        actor,
        action,
        objectType: 'template',
        objectId: id,
        before: view(before),
        after: view(after),
      },
    };
  });
}
