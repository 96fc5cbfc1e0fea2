ALTER TABLE "sync_runs" ADD COLUMN "upstream" jsonb;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "slot" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "applied_from_run_id" bigint;