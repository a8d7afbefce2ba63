CREATE TABLE "qr_logins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"poll_hash" text NOT NULL,
	"scan_hash" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"account_id" uuid,
	"desktop_ip" text NOT NULL,
	"desktop_user_agent" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"scanned_at" timestamp with time zone,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "qr_logins_poll_uq" ON "qr_logins" USING btree ("poll_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "qr_logins_scan_uq" ON "qr_logins" USING btree ("scan_hash");--> statement-breakpoint
CREATE INDEX "qr_logins_expires_idx" ON "qr_logins" USING btree ("expires_at");