CREATE TABLE "study_live_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"instance_id" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "study_live_channels_account_idx" ON "study_live_channels" USING btree ("account_id","seen_at");--> statement-breakpoint
CREATE INDEX "study_live_channels_instance_idx" ON "study_live_channels" USING btree ("instance_id");