CREATE TABLE "parameter_values" (
	"id" serial PRIMARY KEY NOT NULL,
	"parameter_id" integer NOT NULL,
	"display_name" text NOT NULL,
	"display_name_by_admin" boolean DEFAULT false NOT NULL,
	"internal_name" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"min_disk_mib" integer,
	"disabled" boolean DEFAULT false NOT NULL,
	"disabled_at" timestamp with time zone,
	"disabled_by" text,
	"awaiting_review" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "parameters" (
	"id" serial PRIMARY KEY NOT NULL,
	"product_type_id" integer NOT NULL,
	"name" text NOT NULL,
	"internal_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_types" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_types_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "module_templates" (
	"module_id" integer NOT NULL,
	"value_id" integer NOT NULL,
	"connected" boolean DEFAULT true NOT NULL,
	"upstream_id" integer,
	"last_seen_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "module_templates_module_id_value_id_pk" PRIMARY KEY("module_id","value_id")
);
--> statement-breakpoint
CREATE TABLE "processing_modules" (
	"id" serial PRIMARY KEY NOT NULL,
	"product_type_id" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'vmmanager6' NOT NULL,
	"url" text NOT NULL,
	"admin_email" text NOT NULL,
	"password_encrypted" text NOT NULL,
	"cluster_id" integer,
	"sort" integer DEFAULT 0 NOT NULL,
	"verify_tls" boolean DEFAULT true NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"schedule" text DEFAULT '54 * * * *' NOT NULL,
	"new_template_policy" text DEFAULT 'enable' NOT NULL,
	"guard_max_disconnect_share" real DEFAULT 0.5 NOT NULL,
	"connect_timeout_ms" integer DEFAULT 10000 NOT NULL,
	"request_timeout_ms" integer DEFAULT 30000 NOT NULL,
	"webhook_url" text,
	"last_success_at" timestamp with time zone,
	"last_failure_at" timestamp with time zone,
	"last_failure_message" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tariff_modules" (
	"tariff_id" integer NOT NULL,
	"module_id" integer NOT NULL,
	CONSTRAINT "tariff_modules_tariff_id_module_id_pk" PRIMARY KEY("tariff_id","module_id")
);
--> statement-breakpoint
CREATE TABLE "tariff_template_settings" (
	"tariff_id" integer NOT NULL,
	"value_id" integer NOT NULL,
	"enabled" boolean NOT NULL,
	"decided_by" text NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tariff_template_settings_tariff_id_value_id_pk" PRIMARY KEY("tariff_id","value_id")
);
--> statement-breakpoint
CREATE TABLE "tariffs" (
	"id" serial PRIMARY KEY NOT NULL,
	"product_type_id" integer NOT NULL,
	"name" text NOT NULL,
	"disk_mib" integer,
	"cloned_from_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"module_id" integer NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text DEFAULT 'running' NOT NULL,
	"counts" jsonb,
	"diff" jsonb,
	"guard_reason" text,
	"held_state" text,
	"held_resolved_at" timestamp with time zone,
	"held_resolved_by" text,
	"error_code" text,
	"error_message" text,
	"actor" text
);
--> statement-breakpoint
CREATE TABLE "sync_slots" (
	"module_id" integer NOT NULL,
	"slot" timestamp with time zone NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_slots_module_id_slot_pk" PRIMARY KEY("module_id","slot")
);
--> statement-breakpoint
CREATE TABLE "admin_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"admin_id" integer NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "admins" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admins_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"token_hash" text NOT NULL,
	"admin_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "parameter_values" ADD CONSTRAINT "parameter_values_parameter_id_parameters_id_fk" FOREIGN KEY ("parameter_id") REFERENCES "public"."parameters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parameters" ADD CONSTRAINT "parameters_product_type_id_product_types_id_fk" FOREIGN KEY ("product_type_id") REFERENCES "public"."product_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_templates" ADD CONSTRAINT "module_templates_module_id_processing_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."processing_modules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_templates" ADD CONSTRAINT "module_templates_value_id_parameter_values_id_fk" FOREIGN KEY ("value_id") REFERENCES "public"."parameter_values"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "processing_modules" ADD CONSTRAINT "processing_modules_product_type_id_product_types_id_fk" FOREIGN KEY ("product_type_id") REFERENCES "public"."product_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_modules" ADD CONSTRAINT "tariff_modules_tariff_id_tariffs_id_fk" FOREIGN KEY ("tariff_id") REFERENCES "public"."tariffs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_modules" ADD CONSTRAINT "tariff_modules_module_id_processing_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."processing_modules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_template_settings" ADD CONSTRAINT "tariff_template_settings_tariff_id_tariffs_id_fk" FOREIGN KEY ("tariff_id") REFERENCES "public"."tariffs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_template_settings" ADD CONSTRAINT "tariff_template_settings_value_id_parameter_values_id_fk" FOREIGN KEY ("value_id") REFERENCES "public"."parameter_values"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariffs" ADD CONSTRAINT "tariffs_product_type_id_product_types_id_fk" FOREIGN KEY ("product_type_id") REFERENCES "public"."product_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_module_id_processing_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."processing_modules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_slots" ADD CONSTRAINT "sync_slots_module_id_processing_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."processing_modules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD CONSTRAINT "admin_sessions_admin_id_admins_id_fk" FOREIGN KEY ("admin_id") REFERENCES "public"."admins"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_admin_id_admins_id_fk" FOREIGN KEY ("admin_id") REFERENCES "public"."admins"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "parameter_values_internal_name_uq" ON "parameter_values" USING btree ("parameter_id","internal_name");--> statement-breakpoint
CREATE INDEX "parameter_values_sort_idx" ON "parameter_values" USING btree ("parameter_id","sort","display_name");--> statement-breakpoint
CREATE UNIQUE INDEX "parameters_type_internal_name_uq" ON "parameters" USING btree ("product_type_id","internal_name");--> statement-breakpoint
CREATE INDEX "module_templates_value_idx" ON "module_templates" USING btree ("value_id","module_id");--> statement-breakpoint
CREATE UNIQUE INDEX "processing_modules_name_uq" ON "processing_modules" USING btree ("product_type_id","name");--> statement-breakpoint
CREATE INDEX "tariff_modules_module_idx" ON "tariff_modules" USING btree ("module_id");--> statement-breakpoint
CREATE INDEX "tariff_template_settings_value_idx" ON "tariff_template_settings" USING btree ("value_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tariffs_name_uq" ON "tariffs" USING btree ("product_type_id","name");--> statement-breakpoint
CREATE INDEX "audit_log_object_idx" ON "audit_log" USING btree ("object_type","object_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor","at");--> statement-breakpoint
CREATE INDEX "sync_runs_module_idx" ON "sync_runs" USING btree ("module_id","id");