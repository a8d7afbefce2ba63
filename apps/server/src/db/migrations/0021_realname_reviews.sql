CREATE TABLE "realname_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"real_name" text NOT NULL,
	"id_type" text NOT NULL,
	"nationality" text,
	"id_number_enc" text NOT NULL,
	"id_number_hash" text NOT NULL,
	"photo_file_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"reason" text
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "nationality" text;--> statement-breakpoint
CREATE UNIQUE INDEX "realname_reviews_pending_uq" ON "realname_reviews" USING btree ("account_id") WHERE "realname_reviews"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "realname_reviews_status_idx" ON "realname_reviews" USING btree ("status","submitted_at");--> statement-breakpoint
CREATE INDEX "realname_reviews_account_idx" ON "realname_reviews" USING btree ("account_id","submitted_at");