import { hash } from 'node:crypto';
import type { DbOrTx } from '../db/database.js';
import type { OrderPurpose } from '../catalog/orderable.rule.js';
import { selectOrderableTemplates, selectOrderableTemplatesOfTariffs } from './orderable.repository.js';
import type { OrderableTemplate } from './tariffs.schema.js';

/** A tariff's storefront OS list as sent: the JSON bytes, their ETag and what they list. */
export interface StorefrontList {
  body: Buffer;
  etag: string;
  /** The listed templates (id and internal name), in order: what the change feed diffs. */
  items: { id: number; internalName: string }[];
}

/**
 * The answer of `GET /storefront/tariffs/{id}/os` for these templates. The route and the change
 * feed both build it here, so the ETag a webhook announces is the one the route sends.
 */
export function storefrontListBody(tariffId: number, templates: OrderableTemplate[]): string {
  return JSON.stringify({
    tariffId,
    items: templates.map((t) => ({
      id: t.id,
      displayName: t.displayName,
      internalName: t.internalName,
      sort: t.sort,
      minDiskMib: t.minDiskMib,
      minRamMib: t.minRamMib,
      osGroup: t.osGroup,
      virtualization: t.virtualization,
      lifecycle: t.lifecycle,
    })),
  });
}

/**
 * A strong ETag derived from the bytes alone: the same list gives the same ETag on every
 * instance and engine, and a change that does not alter the bytes does not change it.
 */
export const etagOf = (body: Buffer | string): string => `"${hash('sha256', body, 'base64url')}"`;

/** Reads and serializes one tariff's list (the caller knows the tariff exists). */
export async function renderStorefrontList(
  db: DbOrTx,
  tariffId: number,
  purpose: OrderPurpose = 'order',
): Promise<StorefrontList> {
  return listOf(tariffId, await selectOrderableTemplates(db, tariffId, {}, purpose));
}

const listOf = (tariffId: number, templates: OrderableTemplate[]): StorefrontList => {
  const body = Buffer.from(storefrontListBody(tariffId, templates));
  return {
    body,
    etag: etagOf(body),
    items: templates.map((t) => ({ id: t.id, internalName: t.internalName })),
  };
};

/**
 * The order lists of the tariffs `tariffIds`, read in one statement: the same bytes and ETags
 * `renderStorefrontList` gives each of them (a tariff with nothing orderable lists nothing).
 */
export async function renderStorefrontLists(
  db: DbOrTx,
  tariffIds: number[],
): Promise<Map<number, StorefrontList>> {
  const templates = await selectOrderableTemplatesOfTariffs(db, tariffIds);
  return new Map(tariffIds.map((id) => [id, listOf(id, templates.get(id) ?? [])]));
}

/**
 * Whether an `If-None-Match` header matches `etag` (RFC 9110 §13.1.2: weak comparison, a list
 * of tags, or `*`).
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
