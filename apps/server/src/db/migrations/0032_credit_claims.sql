CREATE TABLE "credit_entry_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entry_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_name" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_proofs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cert_no" text NOT NULL,
	"account_id" uuid NOT NULL,
	"holder_name" text NOT NULL,
	"id_number_masked" text NOT NULL,
	"year_from" integer NOT NULL,
	"year_to" integer NOT NULL,
	"hours" integer NOT NULL,
	"public_hours" integer NOT NULL,
	"professional_hours" integer NOT NULL,
	"met" boolean NOT NULL,
	"digest" text NOT NULL,
	"pdf_file_id" uuid,
	"issued_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_standards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"form" text NOT NULL,
	"level" text DEFAULT '' NOT NULL,
	"category" text DEFAULT 'professional' NOT NULL,
	"basis" text NOT NULL,
	"hours" integer NOT NULL,
	"yearly_cap" integer,
	"active" boolean DEFAULT true NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "account_id" uuid;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "unit_id" uuid;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "recognizer_node_id" uuid;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "started_on" text;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "ended_on" text;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "host" text;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "content" text;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "standard_id" uuid;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "standard_hours" integer;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "evidence_file_ids" jsonb;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "acted_by" text;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "acted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "credit_entries" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "credit_entry_events_entry_idx" ON "credit_entry_events" USING btree ("entry_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_proofs_cert_no_uq" ON "credit_proofs" USING btree ("cert_no");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_proofs_digest_uq" ON "credit_proofs" USING btree ("account_id","year_from","year_to","digest");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_standards_form_level_uq" ON "credit_standards" USING btree ("form","level");--> statement-breakpoint
CREATE INDEX "credit_entries_unit_queue_idx" ON "credit_entries" USING btree ("unit_id","created_at") WHERE "credit_entries"."status" = 'pending-unit';--> statement-breakpoint
CREATE INDEX "credit_entries_bureau_queue_idx" ON "credit_entries" USING btree ("recognizer_node_id","created_at") WHERE "credit_entries"."status" = 'pending-bureau';--> statement-breakpoint
-- The default 学时折算标准 (staff edit them in 继续教育管理 → 学时折算标准); 学时登记 computes the most a claim may ask from them.
INSERT INTO "credit_standards" ("form", "level", "category", "basis", "hours", "yearly_cap", "sort") VALUES
	('面授培训', '', 'professional', 'day', 8, NULL, 10),
	('学术会议', '', 'professional', 'day', 8, 40, 20),
	('进修访学', '', 'professional', 'day', 8, 60, 30),
	('论文论著', '核心期刊', 'professional', 'item', 30, 60, 40),
	('论文论著', '一般期刊', 'professional', 'item', 15, 60, 41),
	('论文论著', '专著', 'professional', 'item', 40, 60, 42),
	('网络学习', '', 'professional', 'day', 8, 40, 50),
	('其他', '', 'professional', 'item', 8, 20, 60)
ON CONFLICT DO NOTHING;
