import type { Database } from '../db/database.js';
import type { Logger } from '../shared/logger.js';

export const catalogChangedChannel = 'oscat_catalog_changed';

/** One cached answer: its bytes (sent as is, no encoding per request) and their ETag. */
export interface CachedAnswer {
  body: Buffer;
  etag: string;
}

/** How the cache has done since it started (read by `/metrics`). */
export interface StorefrontCacheStats {
  hits: number;
  misses: number;
  /** How often it was emptied, by cause: the table a NOTIFY names, or `admin_write` (this instance). */
  invalidations: ReadonlyMap<string, number>;
}

/**
 * The serialized storefront OS list per tariff and purpose, as UTF-8 bytes with their ETag. Any
 * change that can alter an answer, on any instance, NOTIFYs `oscat_catalog_changed` with the
 * table's name (database triggers, migrations 0002 and 0016: of `processing_modules` only the
 * columns answers read, not the health a sync writes every run), which empties this cache on
 * every instance. A list read while a change lands is not stored (generation check), and nothing
 * is cached until LISTEN is in place or after it fails.
 */
export function createStorefrontCache(deps: { database: Database; logger: Logger; maxBytes?: number }) {
  const maxBytes = deps.maxBytes ?? 64 * 1024 * 1024;
  // Keyed by tariff and purpose (`3:order`, `3:reinstall`).
  const entries = new Map<string, CachedAnswer>();
  let bytes = 0;
  let generation = 0;
  let live = false;
  const stats = { hits: 0, misses: 0, invalidations: new Map<string, number>() };
  const clear = (cause: string) => {
    generation += 1;
    entries.clear();
    bytes = 0;
    stats.invalidations.set(cause, (stats.invalidations.get(cause) ?? 0) + 1);
  };
  const listening = deps.database
    .listen(catalogChangedChannel, (table) => clear(table || 'unknown'))
    .then((unlisten) => {
      live = true;
      return unlisten;
    })
    .catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'storefront cache disabled: cannot LISTEN for catalog changes');
      return async () => undefined;
    });

  return {
    /** Resolves once invalidation is wired (tests and the benchmark wait for it). */
    ready: listening.then(() => undefined),
    get(key: string): CachedAnswer | undefined {
      const answer = entries.get(key);
      if (answer !== undefined) stats.hits += 1;
      return answer;
    },
    /** Loads and stores; the load's result is kept only if no change arrived meanwhile. */
    async load(key: string, read: () => Promise<CachedAnswer>): Promise<CachedAnswer> {
      const before = generation;
      stats.misses += 1;
      const answer = await read();
      const size = answer.body.length;
      if (live && generation === before) {
        while (bytes + size > maxBytes && entries.size > 0) {
          const oldest = entries.keys().next().value as string;
          bytes -= entries.get(oldest)!.body.length;
          entries.delete(oldest);
        }
        if (size <= maxBytes) {
          entries.set(key, { body: answer.body, etag: answer.etag });
          bytes += size;
        }
      }
      return answer;
    },
    /** Empties it at once: an admin write through this instance (read-your-writes). */
    clearForAdminWrite: () => clear('admin_write'),
    stats: (): StorefrontCacheStats => stats,
    async close() {
      live = false;
      clear('close');
      await (
        await listening
      )();
    },
  };
}

export type StorefrontCache = ReturnType<typeof createStorefrontCache>;
