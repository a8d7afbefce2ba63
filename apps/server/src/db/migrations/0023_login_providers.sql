CREATE TABLE "account_logins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"provider_id" text NOT NULL,
	"subject_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "login_providers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"icon" text NOT NULL,
	"issuer" text,
	"open_base_url" text,
	"api_base_url" text,
	"client_id" text NOT NULL,
	"client_secret_enc" text NOT NULL,
	"scopes" text NOT NULL,
	"id_number_claim" text,
	"name_claim" text,
	"uscc_claim" text,
	"enabled" boolean DEFAULT false NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "account_logins_subject_uq" ON "account_logins" USING btree ("provider_id","subject_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "account_logins_account_uq" ON "account_logins" USING btree ("account_id","provider_id");