-- The guard's sentence gets its own column (run lists no longer read inside diffs), and diffs are
-- stored as json: written as given, which halves the record time of a large first sync.
ALTER TABLE "sync_runs" ADD COLUMN "guard_message" text;--> statement-breakpoint
UPDATE "sync_runs" SET "guard_message" = "diff" -> 'guard' ->> 'message' WHERE "diff" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_runs" ALTER COLUMN "diff" SET DATA TYPE json USING "diff"::json;
