CREATE TABLE "org_nodes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"area_code" text,
	"parent_id" uuid,
	"unit_id" uuid,
	"sort" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_application_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"action" text NOT NULL,
	"round" integer NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" uuid NOT NULL,
	"actor_name" text NOT NULL,
	"reviewer_name" text,
	"reason" text,
	"snapshot" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"unit_id" uuid,
	"applicant_account_id" uuid NOT NULL,
	"applicant_name" text NOT NULL,
	"applicant_phone_hash" text,
	"applicant_phone_enc" text,
	"category" text NOT NULL,
	"unit_name" text NOT NULL,
	"uscc" text NOT NULL,
	"uscc_manual_check" boolean DEFAULT false NOT NULL,
	"located_area" text NOT NULL,
	"unit_type" text NOT NULL,
	"reviewer_node_id" uuid NOT NULL,
	"data" jsonb NOT NULL,
	"round" integer DEFAULT 0 NOT NULL,
	"reason" text,
	"reviewed_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"data" jsonb NOT NULL,
	"application_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"category" text NOT NULL,
	"name" text NOT NULL,
	"uscc" text NOT NULL,
	"uscc_manual_check" boolean DEFAULT false NOT NULL,
	"reg_area" text NOT NULL,
	"insured_area" text NOT NULL,
	"located_area" text NOT NULL,
	"address" text NOT NULL,
	"unit_type" text NOT NULL,
	"is_grassroots" boolean NOT NULL,
	"reviewer_node_id" uuid NOT NULL,
	"licence_file_id" uuid NOT NULL,
	"authorization_file_id" uuid NOT NULL,
	"admin_account_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"approved_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "owner_account_id" uuid;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "original_name" text;--> statement-breakpoint
ALTER TABLE "staff_accounts" ADD COLUMN "org_node_id" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "org_nodes_area_code_uq" ON "org_nodes" USING btree ("area_code");--> statement-breakpoint
CREATE UNIQUE INDEX "org_nodes_unit_uq" ON "org_nodes" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "org_nodes_parent_idx" ON "org_nodes" USING btree ("parent_id","sort");--> statement-breakpoint
CREATE INDEX "unit_application_events_app_idx" ON "unit_application_events" USING btree ("application_id","at");--> statement-breakpoint
CREATE INDEX "unit_applications_list_idx" ON "unit_applications" USING btree ("reviewer_node_id","status","submitted_at");--> statement-breakpoint
CREATE INDEX "unit_applications_submitted_idx" ON "unit_applications" USING btree ("status","submitted_at");--> statement-breakpoint
CREATE INDEX "unit_applications_applicant_idx" ON "unit_applications" USING btree ("applicant_account_id","status");--> statement-breakpoint
CREATE INDEX "unit_applications_uscc_idx" ON "unit_applications" USING btree ("uscc");--> statement-breakpoint
CREATE INDEX "unit_applications_phone_idx" ON "unit_applications" USING btree ("applicant_phone_hash");--> statement-breakpoint
CREATE INDEX "unit_applications_name_trgm_idx" ON "unit_applications" USING gin ("unit_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "unit_applications_applicant_trgm_idx" ON "unit_applications" USING gin ("applicant_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "unit_applications_area_idx" ON "unit_applications" USING btree ("located_area");--> statement-breakpoint
CREATE UNIQUE INDEX "unit_applications_open_per_person_uq" ON "unit_applications" USING btree ("applicant_account_id") WHERE "unit_applications"."status" in ('draft', 'pending', 'rejected');--> statement-breakpoint
CREATE UNIQUE INDEX "unit_applications_open_uscc_uq" ON "unit_applications" USING btree ("uscc") WHERE "unit_applications"."kind" = 'register' and "unit_applications"."status" in ('pending', 'rejected');--> statement-breakpoint
CREATE UNIQUE INDEX "unit_versions_uq" ON "unit_versions" USING btree ("unit_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "units_uscc_uq" ON "units" USING btree ("uscc");--> statement-breakpoint
CREATE UNIQUE INDEX "units_name_uq" ON "units" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "units_admin_uq" ON "units" USING btree ("admin_account_id");--> statement-breakpoint
CREATE INDEX "units_reviewer_idx" ON "units" USING btree ("reviewer_node_id");