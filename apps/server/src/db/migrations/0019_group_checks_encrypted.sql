ALTER TABLE "group_checks" ADD COLUMN "error_values_enc" text;--> statement-breakpoint
-- Checks made before this migration held other people's pasted ID numbers in plain text. SQL cannot encrypt
-- them (the key is the application's), so the values are dropped: the error file of such a check still lists
-- each refused line's number and reason, with the ID column empty (the buyer pasted the list, so the line
-- number finds it).
UPDATE "group_checks" SET "errors" = (
  SELECT coalesce(jsonb_agg(x.e - 'value' ORDER BY x.n), '[]'::jsonb)
  FROM jsonb_array_elements("group_checks"."errors") WITH ORDINALITY AS x(e, n)
) WHERE jsonb_typeof("errors") = 'array';
