CREATE TABLE "makeup_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"plan_id" uuid,
	"evidence_kind" text NOT NULL,
	"rows" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"pledge" jsonb,
	"pledge_file_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"submitted_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"order_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "makeup_requests_open_uq" ON "makeup_requests" USING btree ("account_id","year") WHERE "makeup_requests"."status" in ('pending', 'approved');--> statement-breakpoint
CREATE INDEX "makeup_requests_account_idx" ON "makeup_requests" USING btree ("account_id","submitted_at");--> statement-breakpoint
CREATE INDEX "makeup_requests_status_idx" ON "makeup_requests" USING btree ("status","submitted_at");