-- VMmanager 6 as real installations answer it (issue 11): minimum RAM and OS group on templates,
-- per-connection availability (listed but not active is kept, not disconnected), where the
-- module's installation builds a template (clusters, kvm/lxd), and the NoOS switch per module.
ALTER TABLE "parameter_values" ADD COLUMN "min_ram_mib" integer;--> statement-breakpoint
ALTER TABLE "parameter_values" ADD COLUMN "os_group" text;--> statement-breakpoint
ALTER TABLE "module_templates" ADD COLUMN "available" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "module_templates" ADD COLUMN "unavailable_reason" text;--> statement-breakpoint
ALTER TABLE "module_templates" ADD COLUMN "cluster_ids" integer[];--> statement-breakpoint
ALTER TABLE "module_templates" ADD COLUMN "virtualization" text;--> statement-breakpoint
ALTER TABLE "processing_modules" ADD COLUMN "include_no_os" boolean DEFAULT false NOT NULL;