-- Clock helpers for pgTAP files (\ir include/clock.sql after plan()).
-- A test never depends on what time it is now: it picks a business time
-- zone in which "now" is a known local hour, and counts days from the
-- business's today (sched.timezone), not the session's.

-- A business zone in which it is now hour h local (Etc/GMT-N is UTC+N).
CREATE FUNCTION pg_temp.zone_at(h integer) RETURNS text LANGUAGE sql AS $$
  SELECT 'Etc/GMT' || CASE WHEN o > 0 THEN '-' || o WHEN o < 0 THEN '+' || -o ELSE '' END
    FROM (SELECT CASE WHEN d > 14 THEN d - 24 WHEN d < -12 THEN d + 24 ELSE d END AS o
            FROM (SELECT (h - extract(hour FROM now() AT TIME ZONE 'UTC')::int) AS d) x) y
$$;
-- The business's today: the date of now() in sched.timezone, the day the
-- booking window counts from.
CREATE FUNCTION pg_temp.today() RETURNS date LANGUAGE sql AS $$
  SELECT (now() AT TIME ZONE current_setting('sched.timezone'))::date
$$;
-- 09:00 local on the day after today, local to the zone
CREATE FUNCTION pg_temp.next_morning(zone text) RETURNS timestamptz LANGUAGE sql AS $$
  SELECT ((now() AT TIME ZONE zone)::date + 1 + time '09:00') AT TIME ZONE zone
$$;
