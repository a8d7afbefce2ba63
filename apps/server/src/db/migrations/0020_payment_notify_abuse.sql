CREATE TABLE "payment_notify_rejections" (
	"source_ip" text NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"limited" integer DEFAULT 0 NOT NULL,
	"last_channel" text,
	"last_reason" text,
	"last_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_notify_rejections_source_ip_hour_start_pk" PRIMARY KEY("source_ip","hour_start")
);
--> statement-breakpoint
ALTER TABLE "payment_notifications" ADD COLUMN "source_ip" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "received_fen" bigint;--> statement-breakpoint
CREATE INDEX "payment_notifications_unverified_idx" ON "payment_notifications" USING btree ("source_ip","received_at") WHERE not "payment_notifications"."verified";