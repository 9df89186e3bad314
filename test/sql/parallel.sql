-- sched in a session that forces parallel query (force_parallel_mode on
-- PostgreSQL 15, debug_parallel_query from 16; any user may set it), from
-- the first call that loads the library (1.3: every sched function is
-- PARALLEL UNSAFE).  Before, available_slots and visit_ics failed with
-- XX000, and a first call in parallel mode could not apply the database's
-- sched.* settings, so request_user_id read the wrong claim.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS sched CASCADE;
CREATE EXTENSION sched;
SET sched.business_hours = '00:00-24:00';
INSERT INTO sched.agents (name, phone) VALUES ('Parallel Agent', '9876543210');
SELECT ref FROM sched.book_site_visit('bob', 'Brigade Citrine', current_date + 5, 'morning', 'Bob', '9876543211');
SELECT current_database() AS db \gset
ALTER DATABASE :"db" SET sched.user_id_claim = 'uid';
-- a new session: the library is not loaded yet
\c
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
                       THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'on', false) AS parallel_forced;
SELECT set_config('request.jwt.claims', '{"sub": "alice", "uid": "bob"}', false) IS NOT NULL AS claims_set;
-- the first call (a SECURITY DEFINER one, which loads the library when it
-- runs) loads sched: the database's claim (uid) still applies, so it is
-- Bob's schedule, not Alice's
SELECT jsonb_array_length(sched.my_schedule() -> 'visits') AS bobs_in_my_schedule;
SELECT sched.request_user_id();
SELECT current_setting('sched.user_id_claim');
SELECT count(*) AS bobs_visits FROM sched.my_visits;
SELECT count(*) > 0 AS slots FROM sched.available_slots('Brigade Citrine', days => 2);
SELECT sched.visit_ics(1) LIKE 'BEGIN:VCALENDAR%' AS invite;
SELECT count(*) AS listed FROM sched.list_visits();
SELECT sched.detect_intent('I want to visit the site');
RESET ALL;
ALTER DATABASE :"db" RESET sched.user_id_claim;
DROP EXTENSION sched CASCADE;
