-- Tab counts of the review list (全部 / 待主管部门审核 / 审核未通过 / 审核通过) without counting 100,000 rows
-- per request: a counter per (reviewer node, kind, status), kept by a trigger in the same transaction.
CREATE TABLE "unit_application_counts" (
  "reviewer_node_id" uuid NOT NULL,
  "status" text NOT NULL,
  "n" bigint NOT NULL DEFAULT 0,
  PRIMARY KEY ("reviewer_node_id", "status")
);
--> statement-breakpoint
INSERT INTO "unit_application_counts" ("reviewer_node_id", "status", "n")
  SELECT "reviewer_node_id", "status", count(*) FROM "unit_applications" GROUP BY 1, 2;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION unit_application_counts_track() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE unit_application_counts SET n = n - 1 WHERE reviewer_node_id = OLD.reviewer_node_id AND status = OLD.status;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO unit_application_counts AS c (reviewer_node_id, status, n) VALUES (NEW.reviewer_node_id, NEW.status, 1)
      ON CONFLICT (reviewer_node_id, status) DO UPDATE SET n = c.n + 1;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER unit_application_counts_insert_delete AFTER INSERT OR DELETE ON unit_applications
  FOR EACH ROW EXECUTE FUNCTION unit_application_counts_track();
--> statement-breakpoint
CREATE TRIGGER unit_application_counts_update AFTER UPDATE OF status, reviewer_node_id ON unit_applications
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.reviewer_node_id IS DISTINCT FROM NEW.reviewer_node_id)
  EXECUTE FUNCTION unit_application_counts_track();
--> statement-breakpoint
CREATE INDEX "unit_applications_node_submitted_idx" ON "unit_applications" ("reviewer_node_id", "submitted_at") WHERE "status" <> 'draft';
