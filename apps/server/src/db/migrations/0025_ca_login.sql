CREATE TABLE "ca_revocations" (
	"provider_id" text NOT NULL,
	"serial" text NOT NULL,
	"revoked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ca_revocations_provider_id_serial_pk" PRIMARY KEY("provider_id","serial")
);
--> statement-breakpoint
ALTER TABLE "login_providers" ADD COLUMN "ca_certificates" text;--> statement-breakpoint
ALTER TABLE "login_providers" ADD COLUMN "signer_url" text;--> statement-breakpoint
ALTER TABLE "login_providers" ADD COLUMN "crl_this_update" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "login_providers" ADD COLUMN "crl_next_update" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "login_providers" ADD COLUMN "crl_uploaded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "login_providers" ADD COLUMN "crl_entries" integer;