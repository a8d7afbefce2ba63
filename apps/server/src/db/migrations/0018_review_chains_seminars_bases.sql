CREATE TABLE "bases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"application_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_name" text NOT NULL,
	"number" text NOT NULL,
	"field" text DEFAULT '' NOT NULL,
	"area_code" text NOT NULL,
	"valid_from" text NOT NULL,
	"valid_to" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoke_reason" text,
	"reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"day" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"id_hash" text NOT NULL,
	"year" integer NOT NULL,
	"category" text NOT NULL,
	"form" text NOT NULL,
	"title" text NOT NULL,
	"hours" integer NOT NULL,
	"source" text NOT NULL,
	"source_id" uuid NOT NULL,
	"status" text DEFAULT 'confirmed' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seminar_certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cert_no" text NOT NULL,
	"completion_id" uuid NOT NULL,
	"class_plan_id" uuid NOT NULL,
	"seminar_id" uuid NOT NULL,
	"id_hash" text NOT NULL,
	"holder_name" text NOT NULL,
	"id_number_masked" text NOT NULL,
	"project_name" text NOT NULL,
	"host_unit" text NOT NULL,
	"held_from" text NOT NULL,
	"held_to" text NOT NULL,
	"year" integer NOT NULL,
	"hours" integer NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"pdf_file_id" uuid,
	"status" text DEFAULT 'valid' NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seminar_trainees" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"name" text NOT NULL,
	"id_number_enc" text NOT NULL,
	"id_hash" text NOT NULL,
	"id_masked" text NOT NULL,
	"employer" text NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"phone_enc" text,
	"phone_masked" text DEFAULT '' NOT NULL,
	"attendance_days" integer NOT NULL,
	"passed" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ALTER COLUMN "batch_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "application_events" ADD COLUMN "step" integer;--> statement-breakpoint
ALTER TABLE "application_events" ADD COLUMN "level" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "chain" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "step" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "review_nodes" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "stage" text GENERATED ALWAYS AS (case when status = 'pending' then 'pending-' || coalesce(chain -> step ->> 'level', 'city') else status end) STORED;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "bases_number_uq" ON "bases" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "bases_application_uq" ON "bases" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "bases_list_idx" ON "bases" USING btree ("kind","status","valid_to");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_entries_source_uq" ON "credit_entries" USING btree ("source","source_id");--> statement-breakpoint
CREATE INDEX "credit_entries_person_idx" ON "credit_entries" USING btree ("id_hash","year");--> statement-breakpoint
CREATE UNIQUE INDEX "seminar_certificates_no_uq" ON "seminar_certificates" USING btree ("cert_no");--> statement-breakpoint
CREATE UNIQUE INDEX "seminar_certificates_person_uq" ON "seminar_certificates" USING btree ("completion_id","id_hash");--> statement-breakpoint
CREATE INDEX "seminar_certificates_holder_idx" ON "seminar_certificates" USING btree ("id_hash","issued_at");--> statement-breakpoint
CREATE UNIQUE INDEX "seminar_trainees_line_uq" ON "seminar_trainees" USING btree ("application_id","line");--> statement-breakpoint
CREATE UNIQUE INDEX "seminar_trainees_person_uq" ON "seminar_trainees" USING btree ("application_id","id_hash");--> statement-breakpoint
CREATE INDEX "applications_parent_idx" ON "applications" USING btree ("parent_id","type");--> statement-breakpoint
CREATE INDEX "applications_review_nodes_idx" ON "applications" USING gin ("review_nodes");