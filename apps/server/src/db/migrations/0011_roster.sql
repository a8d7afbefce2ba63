CREATE TABLE "roster_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uploader_type" text NOT NULL,
	"uploader_id" uuid NOT NULL,
	"unit_id" uuid,
	"file_name" text NOT NULL,
	"header" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text NOT NULL,
	"total" integer NOT NULL,
	"valid" integer NOT NULL,
	"invalid" integer NOT NULL,
	"created_count" integer DEFAULT 0 NOT NULL,
	"existing_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roster_rows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"import_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"name" text NOT NULL,
	"id_number_enc" text NOT NULL,
	"id_hash" text NOT NULL,
	"phone_enc" text,
	"phone_hash" text,
	"sex" text NOT NULL,
	"remark" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"account_id" uuid
);
--> statement-breakpoint
CREATE INDEX "roster_imports_uploader_idx" ON "roster_imports" USING btree ("uploader_type","uploader_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "roster_rows_line_uq" ON "roster_rows" USING btree ("import_id","line");--> statement-breakpoint
CREATE INDEX "roster_rows_status_idx" ON "roster_rows" USING btree ("import_id","status");