CREATE TABLE "unit_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"status" text NOT NULL,
	"source" text DEFAULT 'self' NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"joined_at" timestamp with time zone,
	"left_at" timestamp with time zone,
	"reason" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "unit_members_one_pending_uq" ON "unit_members" USING btree ("account_id") WHERE "unit_members"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "unit_members_one_current_uq" ON "unit_members" USING btree ("account_id") WHERE "unit_members"."status" = 'confirmed';--> statement-breakpoint
CREATE INDEX "unit_members_unit_idx" ON "unit_members" USING btree ("unit_id","status");--> statement-breakpoint
CREATE INDEX "unit_members_account_idx" ON "unit_members" USING btree ("account_id","requested_at");