DROP INDEX "unit_applications_name_trgm_idx";--> statement-breakpoint
DROP INDEX "unit_applications_applicant_trgm_idx";--> statement-breakpoint
DROP INDEX "unit_applications_submitted_idx";--> statement-breakpoint
DROP INDEX "unit_applications_uscc_idx";--> statement-breakpoint
DROP INDEX "unit_applications_area_idx";--> statement-breakpoint
ALTER TABLE "unit_applications" ADD COLUMN "unit_name_grams" text[] GENERATED ALWAYS AS (cpe_bigrams(unit_name)) STORED;--> statement-breakpoint
ALTER TABLE "unit_applications" ADD COLUMN "applicant_name_grams" text[] GENERATED ALWAYS AS (cpe_bigrams(applicant_name)) STORED;--> statement-breakpoint
CREATE INDEX "unit_applications_status_idx" ON "unit_applications" USING btree ("status","submitted_at");--> statement-breakpoint
CREATE INDEX "unit_applications_name_sort_idx" ON "unit_applications" USING btree ("unit_name") WHERE "unit_applications"."status" <> 'draft';--> statement-breakpoint
CREATE INDEX "unit_applications_name_grams_idx" ON "unit_applications" USING gin ("unit_name_grams");--> statement-breakpoint
CREATE INDEX "unit_applications_applicant_grams_idx" ON "unit_applications" USING gin ("applicant_name_grams");--> statement-breakpoint
CREATE INDEX "unit_applications_submitted_idx" ON "unit_applications" USING btree ("submitted_at") WHERE "unit_applications"."status" <> 'draft';--> statement-breakpoint
CREATE INDEX "unit_applications_uscc_idx" ON "unit_applications" USING btree ("uscc" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "unit_applications_area_idx" ON "unit_applications" USING btree ("located_area" text_pattern_ops);