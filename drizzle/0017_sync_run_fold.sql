ALTER TABLE "sync_runs" ADD COLUMN "run_count" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "last_finished_at" timestamp with time zone;