-- Chinese names have no word boundaries and are often searched by two characters (科技, 王伟), shorter
-- than pg_trgm's trigrams. The review list indexes every two-character piece instead (GIN on text[]).
CREATE OR REPLACE FUNCTION cpe_bigrams(value text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(DISTINCT substr(lower(value), i, 2)), '{}') FROM generate_series(1, greatest(length(value) - 1, 1)) AS i $$;
