CREATE TABLE "catalog_revision" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"revision" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "catalog_revision_single_row" CHECK ("catalog_revision"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "processing_modules" ADD COLUMN "sync_upstream_hash" text;--> statement-breakpoint
ALTER TABLE "processing_modules" ADD COLUMN "sync_catalog_revision" bigint;