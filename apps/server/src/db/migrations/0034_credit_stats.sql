-- 学时统计 at the city's scale (issue 19 §5): a million people with ten entries each cannot be summed per request
-- (bench/credits-scale.ts: 10 s and more on PostgreSQL, 30 s on PGlite, most of it joining a million members with a
-- million accounts and ten million entries). Two tables, outside the Drizzle schema, kept by triggers in the same
-- transaction as the change (as unit_application_counts in 0006):
--   credit_year_totals  one person's (ID number hash) 已认定 学时 of a year, by category;
--   credit_unit_years   per unit and year: members (工作单位 links overlapping the year, each person once per unit)
--                       and how many of them 达标, for the years listed in credit_stat_years.
-- credit_stat_years holds the years kept and their bounds in the platform's time zone (written by the server, which
-- knows the zone); a year is filled in one pass when first asked for (credit-admin.repo ensureYear).
-- 达标 is CREDIT_YEARLY_TARGET (90) and CREDIT_PROFESSIONAL_MIN (60) of packages/shared/src/schemas/credits.ts, each
-- category counted as at least 0; apps/server/test/api/credit-admin.test.ts checks credit_met against them.
CREATE TABLE "credit_year_totals" (
  "id_hash" text NOT NULL,
  "year" integer NOT NULL,
  "public_hours" integer NOT NULL DEFAULT 0,
  "professional_hours" integer NOT NULL DEFAULT 0,
  PRIMARY KEY ("id_hash", "year")
);
--> statement-breakpoint
INSERT INTO "credit_year_totals" ("id_hash", "year", "public_hours", "professional_hours")
  SELECT "id_hash", "year",
    coalesce(sum("hours") FILTER (WHERE "category" <> 'professional'), 0),
    coalesce(sum("hours") FILTER (WHERE "category" = 'professional'), 0)
  FROM "credit_entries" WHERE "status" = 'confirmed' GROUP BY 1, 2;
--> statement-breakpoint
CREATE TABLE "credit_stat_years" (
  "year" integer PRIMARY KEY,
  "starts_at" timestamp with time zone NOT NULL,
  "ends_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_unit_years" (
  "year" integer NOT NULL,
  "unit_id" uuid NOT NULL,
  "members" integer NOT NULL DEFAULT 0,
  "met" integer NOT NULL DEFAULT 0,
  PRIMARY KEY ("year", "unit_id")
);
--> statement-breakpoint
-- The triggers find a person's account by the hash their entries are kept under.
CREATE INDEX "accounts_id_number_hash_idx" ON "accounts" USING btree ("id_number_hash");
--> statement-breakpoint
-- 学时查询 by 姓名 contains (two characters and more): every two-character piece of the name, as the review list does
-- for unit names (0004, 0005); without it a name search reads all accounts (2.6 s for a million on PGlite).
CREATE INDEX "accounts_real_name_grams_idx" ON "accounts" USING gin (cpe_bigrams("real_name"));
--> statement-breakpoint
CREATE OR REPLACE FUNCTION credit_met(public_hours integer, professional_hours integer) RETURNS boolean
  IMMUTABLE LANGUAGE sql AS $$
  SELECT greatest(coalesce(public_hours, 0), 0) + greatest(coalesce(professional_hours, 0), 0) >= 90
    AND greatest(coalesce(professional_hours, 0), 0) >= 60
$$;
--> statement-breakpoint
-- One person (account) started or stopped being 达标 in a year: each of their units of that year counts it.
-- Units in id order, so two transactions touching the same units lock them in the same order.
CREATE OR REPLACE FUNCTION credit_unit_years_met(p_account uuid, p_year integer, p_delta integer) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE u uuid;
BEGIN
  FOR u IN
    SELECT DISTINCT m.unit_id FROM unit_members m JOIN credit_stat_years y ON y.year = p_year
    WHERE m.account_id = p_account AND m.joined_at < y.ends_at AND (m.left_at IS NULL OR m.left_at >= y.starts_at)
    ORDER BY m.unit_id
  LOOP
    UPDATE credit_unit_years SET met = met + p_delta WHERE year = p_year AND unit_id = u;
  END LOOP;
END;
$$;
--> statement-breakpoint
-- Adds (or, negative, takes away) one entry's 学时 to its person and year; when that changes whether the year is 达标,
-- the person's units of the year count it. Before and after come from the one upsert, which locks the row: concurrent
-- changes to the same person and year never count twice.
CREATE OR REPLACE FUNCTION credit_year_totals_add(p_hash text, p_year integer, p_category text, p_hours integer)
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d_public integer := CASE WHEN p_category = 'professional' THEN 0 ELSE p_hours END;
  d_professional integer := CASE WHEN p_category = 'professional' THEN p_hours ELSE 0 END;
  after_public integer;
  after_professional integer;
  was boolean;
  now_met boolean;
  a uuid;
BEGIN
  INSERT INTO credit_year_totals AS t (id_hash, year, public_hours, professional_hours)
    VALUES (p_hash, p_year, d_public, d_professional)
    ON CONFLICT (id_hash, year) DO UPDATE
      SET public_hours = t.public_hours + excluded.public_hours,
          professional_hours = t.professional_hours + excluded.professional_hours
    RETURNING t.public_hours, t.professional_hours INTO after_public, after_professional;
  was := credit_met(after_public - d_public, after_professional - d_professional);
  now_met := credit_met(after_public, after_professional);
  IF was <> now_met THEN
    FOR a IN SELECT id FROM accounts WHERE id_number_hash = p_hash LOOP
      PERFORM credit_unit_years_met(a, p_year, CASE WHEN now_met THEN 1 ELSE -1 END);
    END LOOP;
  END IF;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION credit_year_totals_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'confirmed' THEN
    PERFORM credit_year_totals_add(OLD.id_hash, OLD.year, OLD.category, -OLD.hours);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'confirmed' THEN
    PERFORM credit_year_totals_add(NEW.id_hash, NEW.year, NEW.category, NEW.hours);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_year_totals_insert_delete AFTER INSERT OR DELETE ON credit_entries
  FOR EACH ROW EXECUTE FUNCTION credit_year_totals_track();
--> statement-breakpoint
CREATE TRIGGER credit_year_totals_update AFTER UPDATE OF status, hours, category, year, id_hash ON credit_entries
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.hours IS DISTINCT FROM NEW.hours
    OR OLD.category IS DISTINCT FROM NEW.category OR OLD.year IS DISTINCT FROM NEW.year
    OR OLD.id_hash IS DISTINCT FROM NEW.id_hash)
  EXECUTE FUNCTION credit_year_totals_track();
--> statement-breakpoint
-- A 工作单位 link began, ended, or was dated otherwise: for each kept year, whether the person belongs to the unit in it
-- (any of their links to it overlapping the year) before and after, and the unit's count follows.
-- Whether the person belongs to the unit in a kept year: any of their links to it overlapping the year, leaving out
-- one row (the one being changed) when asked to.
CREATE OR REPLACE FUNCTION credit_member_in_year(p_account uuid, p_unit uuid, p_starts timestamptz, p_ends timestamptz,
  p_except uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM unit_members m
    WHERE m.account_id = p_account AND m.unit_id = p_unit AND (p_except IS NULL OR m.id <> p_except)
      AND m.joined_at < p_ends AND (m.left_at IS NULL OR m.left_at >= p_starts))
$$;
--> statement-breakpoint
-- One link's change moves the unit's count by one in each kept year where the person's belonging changed.
CREATE OR REPLACE FUNCTION credit_unit_years_member_delta(p_account uuid, p_unit uuid, p_year integer, p_delta integer)
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE met_now boolean;
BEGIN
  SELECT coalesce(credit_met(t.public_hours, t.professional_hours), false) INTO met_now
    FROM accounts a LEFT JOIN credit_year_totals t ON t.id_hash = a.id_number_hash AND t.year = p_year
    WHERE a.id = p_account;
  INSERT INTO credit_unit_years AS s (year, unit_id, members, met)
    VALUES (p_year, p_unit, p_delta, CASE WHEN coalesce(met_now, false) THEN p_delta ELSE 0 END)
    ON CONFLICT (year, unit_id) DO UPDATE SET members = s.members + excluded.members, met = s.met + excluded.met;
END;
$$;
--> statement-breakpoint
-- A 工作单位 link began, ended, or was dated otherwise: for each kept year, whether the person belonged to the unit in
-- it before (the other links, and the old version of this one) and after (the links as they are now).
CREATE OR REPLACE FUNCTION credit_unit_years_members_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  y record;
  was boolean;
  now_in boolean;
BEGIN
  FOR y IN SELECT * FROM credit_stat_years ORDER BY year LOOP
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      -- The old pair: its other links (after this change) and the old row.
      now_in := credit_member_in_year(OLD.account_id, OLD.unit_id, y.starts_at, y.ends_at, NULL);
      was := credit_member_in_year(OLD.account_id, OLD.unit_id, y.starts_at, y.ends_at,
          CASE WHEN TG_OP = 'UPDATE' THEN NEW.id END)
        OR (OLD.joined_at IS NOT NULL AND OLD.joined_at < y.ends_at AND (OLD.left_at IS NULL OR OLD.left_at >= y.starts_at));
      IF was <> now_in THEN
        PERFORM credit_unit_years_member_delta(OLD.account_id, OLD.unit_id, y.year, CASE WHEN now_in THEN 1 ELSE -1 END);
      END IF;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE'
        AND (OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.unit_id IS DISTINCT FROM NEW.unit_id)) THEN
      -- A new pair: before, only its other links counted.
      now_in := credit_member_in_year(NEW.account_id, NEW.unit_id, y.starts_at, y.ends_at, NULL);
      was := credit_member_in_year(NEW.account_id, NEW.unit_id, y.starts_at, y.ends_at, NEW.id);
      IF was <> now_in THEN
        PERFORM credit_unit_years_member_delta(NEW.account_id, NEW.unit_id, y.year, CASE WHEN now_in THEN 1 ELSE -1 END);
      END IF;
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_unit_years_members_insert_delete AFTER INSERT OR DELETE ON unit_members
  FOR EACH ROW EXECUTE FUNCTION credit_unit_years_members_track();
--> statement-breakpoint
CREATE TRIGGER credit_unit_years_members_update AFTER UPDATE OF joined_at, left_at, account_id, unit_id ON unit_members
  FOR EACH ROW WHEN (OLD.joined_at IS DISTINCT FROM NEW.joined_at OR OLD.left_at IS DISTINCT FROM NEW.left_at
    OR OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.unit_id IS DISTINCT FROM NEW.unit_id)
  EXECUTE FUNCTION credit_unit_years_members_track();
--> statement-breakpoint
-- An account's document changed: its entries are another person's now, so each kept year's 达标 may differ.
CREATE OR REPLACE FUNCTION credit_unit_years_account_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  y record;
  was boolean;
  now_met boolean;
BEGIN
  FOR y IN SELECT year FROM credit_stat_years ORDER BY year LOOP
    SELECT coalesce(credit_met(t.public_hours, t.professional_hours), false) INTO was
      FROM (SELECT 1) one LEFT JOIN credit_year_totals t ON t.id_hash = OLD.id_number_hash AND t.year = y.year;
    SELECT coalesce(credit_met(t.public_hours, t.professional_hours), false) INTO now_met
      FROM (SELECT 1) one LEFT JOIN credit_year_totals t ON t.id_hash = NEW.id_number_hash AND t.year = y.year;
    IF was IS DISTINCT FROM now_met THEN
      PERFORM credit_unit_years_met(NEW.id, y.year, CASE WHEN now_met THEN 1 ELSE -1 END);
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_unit_years_account_update AFTER UPDATE OF id_number_hash ON accounts
  FOR EACH ROW WHEN (OLD.id_number_hash IS DISTINCT FROM NEW.id_number_hash)
  EXECUTE FUNCTION credit_unit_years_account_track();
