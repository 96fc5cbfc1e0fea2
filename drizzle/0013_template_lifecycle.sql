ALTER TABLE "parameter_values" ADD COLUMN "deprecated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "parameter_values" ADD COLUMN "deprecated_by" text;--> statement-breakpoint
ALTER TABLE "parameter_values" ADD COLUMN "eol_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "parameter_values" ADD COLUMN "replacement_id" integer;