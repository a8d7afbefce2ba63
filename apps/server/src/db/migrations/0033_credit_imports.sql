CREATE TABLE "credit_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" uuid NOT NULL,
	"actor_name" text NOT NULL,
	"unit_id" uuid,
	"filename" text NOT NULL,
	"rows" integer NOT NULL,
	"imported" integer NOT NULL,
	"duplicates" integer NOT NULL,
	"errors" integer NOT NULL,
	"error_file_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "credit_imports_created_idx" ON "credit_imports" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "credit_imports_unit_idx" ON "credit_imports" USING btree ("unit_id","created_at");