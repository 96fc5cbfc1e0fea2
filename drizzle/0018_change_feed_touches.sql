CREATE TABLE "webhook_list_touches" (
	"kind" text NOT NULL,
	"ref_id" integer
);
--> statement-breakpoint
-- What a change touched, for the change feed (src/webhooks/change-feed.ts): statement-level
-- triggers (one insert per statement, from its transition tables) on every table the storefront
-- lists read record which tariffs, modules or templates the change can affect. The feed then
-- renders only the lists of those tariffs. Template inserts are not recorded: a new template is
-- listed nowhere until a connection (recorded by its module) offers it.
CREATE FUNCTION oscat_touch_lists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- TG_ARGV: the kind ('tariff' | 'module' | 'value' | 'all') and the column naming it.
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO webhook_list_touches (kind) VALUES ('all');
  ELSIF TG_ARGV[0] = 'all' THEN
    INSERT INTO webhook_list_touches (kind) SELECT 'all' WHERE EXISTS (SELECT 1 FROM touched_rows);
  ELSE
    EXECUTE format('INSERT INTO webhook_list_touches (kind, ref_id) SELECT DISTINCT %L, %I FROM touched_rows',
      TG_ARGV[0], TG_ARGV[1]);
    IF TG_OP = 'UPDATE' THEN
      EXECUTE format('INSERT INTO webhook_list_touches (kind, ref_id) SELECT DISTINCT %L, o.%I FROM old_rows o
        WHERE NOT EXISTS (SELECT 1 FROM touched_rows n WHERE n.%I = o.%I)', TG_ARGV[0], TG_ARGV[1], TG_ARGV[1], TG_ARGV[1]);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A module counts only when a column storefront answers read changed (0016), not its health.
CREATE FUNCTION oscat_touch_lists_of_modules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_list_touches (kind, ref_id)
  SELECT DISTINCT 'module', n.id FROM touched_rows n JOIN old_rows o ON o.id = n.id
  WHERE oscat_module_storefront_facts(o) IS DISTINCT FROM oscat_module_storefront_facts(n);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER oscat_lists_update AFTER UPDATE ON "parameter_values" REFERENCING NEW TABLE AS touched_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('value', 'id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_delete AFTER DELETE ON "parameter_values" REFERENCING OLD TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('value', 'id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_insert AFTER INSERT ON "module_templates" REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('module', 'module_id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_update AFTER UPDATE ON "module_templates" REFERENCING NEW TABLE AS touched_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('module', 'module_id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_delete AFTER DELETE ON "module_templates" REFERENCING OLD TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('module', 'module_id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_insert AFTER INSERT ON "processing_modules" REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('module', 'id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_update AFTER UPDATE ON "processing_modules" REFERENCING NEW TABLE AS touched_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists_of_modules();
--> statement-breakpoint
CREATE TRIGGER oscat_lists_delete AFTER DELETE ON "processing_modules" REFERENCING OLD TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('module', 'id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_insert AFTER INSERT ON "tariffs" REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('tariff', 'id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_update AFTER UPDATE ON "tariffs" REFERENCING NEW TABLE AS touched_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('tariff', 'id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_delete AFTER DELETE ON "tariffs" REFERENCING OLD TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('tariff', 'id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_insert AFTER INSERT ON "tariff_modules" REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('tariff', 'tariff_id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_update AFTER UPDATE ON "tariff_modules" REFERENCING NEW TABLE AS touched_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('tariff', 'tariff_id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_delete AFTER DELETE ON "tariff_modules" REFERENCING OLD TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('tariff', 'tariff_id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_insert AFTER INSERT ON "tariff_template_settings" REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('tariff', 'tariff_id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_update AFTER UPDATE ON "tariff_template_settings" REFERENCING NEW TABLE AS touched_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('tariff', 'tariff_id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_delete AFTER DELETE ON "tariff_template_settings" REFERENCING OLD TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('tariff', 'tariff_id');
--> statement-breakpoint
CREATE TRIGGER oscat_lists_insert AFTER INSERT ON "parameters" REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('all', NULL);
--> statement-breakpoint
CREATE TRIGGER oscat_lists_update AFTER UPDATE ON "parameters" REFERENCING NEW TABLE AS touched_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('all', NULL);
--> statement-breakpoint
CREATE TRIGGER oscat_lists_delete AFTER DELETE ON "parameters" REFERENCING OLD TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('all', NULL);
--> statement-breakpoint
CREATE TRIGGER oscat_lists_truncate AFTER TRUNCATE ON "parameter_values" FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('all', NULL);
--> statement-breakpoint
CREATE TRIGGER oscat_lists_truncate AFTER TRUNCATE ON "module_templates" FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('all', NULL);
--> statement-breakpoint
CREATE TRIGGER oscat_lists_truncate AFTER TRUNCATE ON "processing_modules" FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('all', NULL);
--> statement-breakpoint
CREATE TRIGGER oscat_lists_truncate AFTER TRUNCATE ON "tariffs" FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('all', NULL);
--> statement-breakpoint
CREATE TRIGGER oscat_lists_truncate AFTER TRUNCATE ON "tariff_modules" FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('all', NULL);
--> statement-breakpoint
CREATE TRIGGER oscat_lists_truncate AFTER TRUNCATE ON "tariff_template_settings" FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('all', NULL);
--> statement-breakpoint
CREATE TRIGGER oscat_lists_truncate AFTER TRUNCATE ON "parameters" FOR EACH STATEMENT EXECUTE FUNCTION oscat_touch_lists('all', NULL);
--> statement-breakpoint
-- Until now every change rendered every list; the first change after this one still does.
INSERT INTO webhook_list_touches (kind) SELECT 'all' WHERE EXISTS (SELECT 1 FROM tariffs);
