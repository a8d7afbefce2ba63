ALTER TABLE "applications" ADD COLUMN "saved_at" timestamp with time zone;--> statement-breakpoint
-- Applications from before: whether a draft was ever saved is not known, so each counts as saved (nothing disappears
-- from a filer's list).
UPDATE "applications" SET "saved_at" = "updated_at";
