CREATE TABLE "application_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"year" integer NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "application_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"action" text NOT NULL,
	"round" integer NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" uuid NOT NULL,
	"actor_name" text NOT NULL,
	"department_name" text,
	"contact_name" text,
	"contact_phone" text,
	"comments" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reason" text,
	"deadline" timestamp with time zone,
	"snapshot" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "application_sequences" (
	"type_code" text NOT NULL,
	"year" integer NOT NULL,
	"last" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "application_sequences_type_code_year_pk" PRIMARY KEY("type_code","year")
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"year" integer NOT NULL,
	"batch_id" uuid NOT NULL,
	"number" text,
	"status" text NOT NULL,
	"filer_kind" text NOT NULL,
	"unit_id" uuid,
	"org_node_id" uuid,
	"filer_name" text NOT NULL,
	"filer_area" text NOT NULL,
	"filer_unit_type" text NOT NULL,
	"created_by_type" text NOT NULL,
	"created_by_id" uuid NOT NULL,
	"data" jsonb NOT NULL,
	"project_name" text DEFAULT '' NOT NULL,
	"held_from" text,
	"held_to" text,
	"host_unit" text DEFAULT '' NOT NULL,
	"estimated_fen" bigint,
	"subsidy_fen" bigint,
	"round" integer DEFAULT 0 NOT NULL,
	"return_deadline" timestamp with time zone,
	"review_started_at" timestamp with time zone,
	"first_submitted_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"reason" text,
	"review_draft" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "application_batches_uq" ON "application_batches" USING btree ("type","year");--> statement-breakpoint
CREATE INDEX "application_events_app_idx" ON "application_events" USING btree ("application_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_number_uq" ON "applications" USING btree ("number");--> statement-breakpoint
CREATE INDEX "applications_unit_idx" ON "applications" USING btree ("unit_id","type","created_at");--> statement-breakpoint
CREATE INDEX "applications_node_idx" ON "applications" USING btree ("org_node_id","type","created_at");--> statement-breakpoint
CREATE INDEX "applications_review_idx" ON "applications" USING btree ("type","year","status","submitted_at") WHERE "applications"."status" <> 'draft';