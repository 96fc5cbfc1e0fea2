-- Revoking an API token sends one NOTIFY on commit so that every instance drops its cached token
-- lookups at once (see src/auth/auth.service.ts); last_used_at updates do not notify.
CREATE OR REPLACE FUNCTION oscat_notify_tokens_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('oscat_tokens_changed', '');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER oscat_tokens_change AFTER UPDATE OF revoked_at, token_hash, scope, name OR DELETE ON "api_tokens" FOR EACH STATEMENT EXECUTE FUNCTION oscat_notify_tokens_change();
--> statement-breakpoint
CREATE TRIGGER oscat_admins_change AFTER UPDATE OR DELETE ON "admins" FOR EACH STATEMENT EXECUTE FUNCTION oscat_notify_tokens_change();
