-- Every change to what the storefront can see sends one NOTIFY on commit, so that every instance
-- of os-catalog drops its cached OS lists (see src/http/storefront-cache.ts). Statement-level
-- triggers: one notification per statement, and PostgreSQL folds duplicates within a transaction.
CREATE OR REPLACE FUNCTION oscat_notify_catalog_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('oscat_catalog_changed', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER oscat_catalog_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "parameter_values" FOR EACH STATEMENT EXECUTE FUNCTION oscat_notify_catalog_change();
--> statement-breakpoint
CREATE TRIGGER oscat_catalog_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "module_templates" FOR EACH STATEMENT EXECUTE FUNCTION oscat_notify_catalog_change();
--> statement-breakpoint
CREATE TRIGGER oscat_catalog_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "processing_modules" FOR EACH STATEMENT EXECUTE FUNCTION oscat_notify_catalog_change();
--> statement-breakpoint
CREATE TRIGGER oscat_catalog_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tariffs" FOR EACH STATEMENT EXECUTE FUNCTION oscat_notify_catalog_change();
--> statement-breakpoint
CREATE TRIGGER oscat_catalog_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tariff_modules" FOR EACH STATEMENT EXECUTE FUNCTION oscat_notify_catalog_change();
--> statement-breakpoint
CREATE TRIGGER oscat_catalog_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tariff_template_settings" FOR EACH STATEMENT EXECUTE FUNCTION oscat_notify_catalog_change();
