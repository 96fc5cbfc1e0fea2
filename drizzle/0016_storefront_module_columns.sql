-- The columns of processing_modules a storefront answer can depend on: the orderable rule reads
-- id and enabled, ranks builders by sort (the list names the builder's virtualization), the order
-- check answers name; cluster_id (where it builds) and product_type_id are kept for safety. The
-- health and sync bookkeeping a sync writes on every run (last success or failure, failures,
-- upstream hash, revision, updated_at) are not among them, so writing them no longer empties the
-- storefront cache of every instance (0002 notified on any change to the table). A new column
-- must be classified in src/http/storefront-cache.test.ts, which checks this list.
CREATE OR REPLACE FUNCTION oscat_module_storefront_facts(m processing_modules) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('id', m.id, 'product_type_id', m.product_type_id, 'name', m.name,
    'enabled', m.enabled, 'sort', m.sort, 'cluster_id', m.cluster_id)
$$;
--> statement-breakpoint
DROP TRIGGER oscat_catalog_change ON "processing_modules";
--> statement-breakpoint
CREATE TRIGGER oscat_catalog_change AFTER INSERT OR DELETE OR TRUNCATE ON "processing_modules" FOR EACH STATEMENT EXECUTE FUNCTION oscat_notify_catalog_change();
--> statement-breakpoint
CREATE TRIGGER oscat_catalog_change_update AFTER UPDATE ON "processing_modules" FOR EACH ROW
  WHEN (oscat_module_storefront_facts(OLD) IS DISTINCT FROM oscat_module_storefront_facts(NEW))
  EXECUTE FUNCTION oscat_notify_catalog_change();
