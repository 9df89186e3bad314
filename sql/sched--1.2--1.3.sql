/* sched--1.2--1.3.sql: every client, safely: the business's today as the defaults' date, customers and agents identified by the request, abuse limits, data that cannot be edited behind the rules. */

\echo Use "ALTER EXTENSION sched UPDATE TO '1.3'" to load this file. \quit

-- ---------------------------------------------------------------------
-- One "today".  available_slots' date_from and parse_contact_details'
-- today defaulted to CURRENT_DATE, the date in the session's TimeZone;
-- everything else counts from the date in sched.timezone.  From 1.3 both
-- default to NULL, which the calls take as the business's today (an
-- explicit NULL too, which was an error, 22004).  A default is evaluated
-- with the caller's privileges, so a function as the default would need a
-- grant of its own; NULL needs none.
-- ---------------------------------------------------------------------

CREATE OR REPLACE FUNCTION sched.available_slots(
  project text,
  date_from date DEFAULT NULL,
  days integer DEFAULT 7)
RETURNS TABLE (visit_date date, time_slot sched.time_slot, starts_at timestamptz,
               ends_at timestamptz, free integer)
AS 'MODULE_PATHNAME', 'sched_available_slots'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 21
SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION sched.available_slots(text, date, integer) IS
  'What can be offered to a customer for a project: every slot from date_from (NULL or left out: the business''s today, the date in sched.timezone) for days days (1-366) that is inside the booking window and not over yet, with its times in sched.timezone and how many more visits it takes (free; 0 when full).  A slot with free > 0 is bookable now and one with free = 0 is not: the count uses the same rules as booking (the project''s agents, leave, slot_capacity, daily_visit_cap).  Errors: 22004, 22023';

CREATE OR REPLACE FUNCTION sched.parse_contact_details(message text, today date DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sched_sql_parse_contact_details'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION sched.parse_contact_details(text, date) IS
  'Chat: the name, phone (E.164), email, visit_date (ISO) and time_slot found in a free-text reply such as "My name is John Doe, phone +91 98765 43210, I''m free this Saturday morning"; keys not found are absent, never guessed.  Relative dates count from today (NULL or left out: the business''s today, the date in sched.timezone).  Errors: 22023 today is not a finite date';
