-- The catalog revision (see src/catalog/catalog.tables.ts and docs/sync.md): every committed
-- change to parameter_values or module_templates bumps it once per transaction, at commit. The
-- triggers are deferred so that a writer takes the revision row only when it commits, after all
-- of its row locks: two writers can then never wait for each other in a cycle. A sync sets
-- oscat.catalog_revision = 'caller' and bumps the revision itself as its last statement.
INSERT INTO "catalog_revision" ("id", "revision") VALUES (1, 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION oscat_bump_catalog_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('oscat.catalog_revision', true), '') <> 'bumped' THEN
    UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1;
    PERFORM set_config('oscat.catalog_revision', 'bumped', true);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER oscat_catalog_revision AFTER INSERT OR UPDATE OR DELETE ON "parameter_values"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (coalesce(current_setting('oscat.catalog_revision', true), '') <> 'caller')
  EXECUTE FUNCTION oscat_bump_catalog_revision();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER oscat_catalog_revision AFTER INSERT OR UPDATE OR DELETE ON "module_templates"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (coalesce(current_setting('oscat.catalog_revision', true), '') <> 'caller')
  EXECUTE FUNCTION oscat_bump_catalog_revision();
