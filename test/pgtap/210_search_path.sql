-- pgTAP: sched's SQL never resolves an operator planted on a caller's
-- search_path (1.3).  A schema first on the DBA's path defines "=" for
-- sched's own enum types, raising if it is ever called; every call and
-- every trigger still works, because the SECURITY DEFINER calls and the
-- trigger functions pin search_path = pg_catalog, pg_temp (the calls with
-- SET clauses, the triggers in C from 1.4) and their SQL writes
-- OPERATOR(pg_catalog.=) on sched's types.
BEGIN;
SELECT plan(23);
\ir include/clock.sql

UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity) VALUES ('T210 Agent', '9876502101', true, 10);
SET LOCAL sched.business_hours = '00:00-24:00';
SET LOCAL sched.job_max_attempts = 1;

CREATE SCHEMA t210_evil;
CREATE FUNCTION t210_evil.planted(anyenum, anyenum) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the planted operator was called';
END $$;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['job_state', 'visit_status', 'callback_status', 'entity', 'urgency', 'time_slot', 'channel'] LOOP
    EXECUTE format('CREATE FUNCTION t210_evil.%I(sched.%I, sched.%I) RETURNS boolean LANGUAGE sql AS $f$ SELECT t210_evil.planted($1, $2) $f$',
                   t || '_eq', t, t);
    EXECUTE format('CREATE OPERATOR t210_evil.= (LEFTARG = sched.%I, RIGHTARG = sched.%I, FUNCTION = t210_evil.%I)',
                   t, t, t || '_eq');
    EXECUTE format('CREATE OPERATOR t210_evil.<> (LEFTARG = sched.%I, RIGHTARG = sched.%I, FUNCTION = t210_evil.%I)',
                   t, t, t || '_eq');
  END LOOP;
END $$;
SET LOCAL search_path = t210_evil, public, pg_catalog;

SELECT throws_ok($$SELECT 'pending'::sched.job_state = 'pending'::sched.job_state$$, 'P0001',
  'the planted operator was called', 'on this search_path, plain SQL comparing sched''s types calls the planted operator');

SELECT visit_id AS v FROM sched.book_site_visit('t210_u', 'T210 Towers', pg_temp.today() + 3, 'morning', 'Planted', '9876521001') \gset
SELECT ok(:v > 0, 'book_site_visit (its triggers, the round robin, the outbox) never calls it');
SELECT callback_id AS c FROM sched.request_callback('t210_u', 'Planted', '9876521001', urgency => 'urgent') \gset
SELECT ok(:c > 0, 'request_callback');
SELECT is((SELECT count(*)::int FROM sched.list_visits(status => 'pending') WHERE visit_id = :v), 1, 'list_visits with a status');
SELECT is((SELECT count(*)::int FROM sched.list_callbacks(status => 'pending', urgency => 'urgent') WHERE callback_id = :c), 1,
  'list_callbacks with a status and an urgency');
SELECT is((SELECT count(*)::int FROM sched.claim_jobs('t210-worker', 1000)) > 0, true, 'claim_jobs');
-- (this file's own SQL compares the states as text: on this path "=" on them is the planted one)
SELECT job_id AS j FROM sched.outbox WHERE state::text = 'claimed' AND claimed_by = 't210-worker' ORDER BY job_id LIMIT 1 \gset
SELECT lives_ok(format('SELECT sched.complete_job(%s)', :j), 'complete_job');
SELECT job_id AS k FROM sched.outbox WHERE claimed_by = 't210-worker' AND done_at IS NULL ORDER BY job_id LIMIT 1 \gset
SELECT lives_ok(format('SELECT sched.fail_job(%s, %L)', :k, 'down'), 'fail_job (the job dies)');
SELECT lives_ok(format('SELECT sched.retry_job(%s)', :k), 'retry_job');
SELECT lives_ok(format('SELECT sched.render_message(%s)', :k), 'render_message');
SELECT lives_ok(format('SELECT sched.visit_ics(%s)', :v), 'visit_ics');
SELECT is((SELECT status::text FROM sched.set_visit_status(:v, 'confirmed')), 'confirmed', 'set_visit_status');
SELECT is((SELECT status::text FROM sched.set_callback_status(:c, 'no_answer')), 'no_answer', 'set_callback_status');
SELECT is((SELECT time_slot::text FROM sched.reschedule_visit(:v, pg_temp.today() + 4, 'evening')), 'evening',
  'reschedule_visit (its reminders are moved)');
SELECT lives_ok($$SELECT sched.mark_no_shows()$$, 'mark_no_shows');
SELECT lives_ok($$SELECT sched.escalate_overdue_callbacks()$$, 'escalate_overdue_callbacks');
SELECT lives_ok($$SELECT * FROM sched.available_slots('T210 Towers', days => 2)$$, 'available_slots');
SELECT lives_ok(format($$UPDATE sched.scheduled_visits SET status = 'cancelled' WHERE visit_id = %s$$, :v),
  'a DBA''s plain UPDATE: the triggers cancel the reminders without calling it');
SELECT lives_ok($$INSERT INTO sched.callbacks (user_id, contact_name, contact_phone) VALUES ('t210_u', 'Planted', '9876521001')$$,
  'a DBA''s plain INSERT');
SELECT lives_ok($$SELECT sched.erase_user('t210_u')$$, 'erase_user');

-- 1.4: the trigger functions pin the path in C.  A DBA's trigger on the
-- history, which sched's announce trigger fills, records the path it runs
-- with: sched's, for a plain INSERT on the DBA's path and inside a call.
CREATE TABLE t210_evil.seen (path text);
CREATE FUNCTION t210_evil.record_path() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO t210_evil.seen VALUES (pg_catalog.current_setting('search_path'));
  RETURN NULL;
END $$;
CREATE TRIGGER t210_record AFTER INSERT ON sched.status_history
  FOR EACH ROW EXECUTE FUNCTION t210_evil.record_path();
INSERT INTO sched.callbacks (user_id, contact_name, contact_phone) VALUES ('t210_w', 'Planted', '9876521002');
SELECT results_eq($$SELECT path, count(*)::int FROM t210_evil.seen GROUP BY path$$,
  $$VALUES ('pg_catalog, pg_temp', 1)$$,
  'a DBA''s plain INSERT on this path: what sched''s trigger runs sees search_path = pg_catalog, pg_temp');
SELECT is(pg_catalog.current_setting('search_path'), 't210_evil, public, pg_catalog',
  'and the DBA''s own search_path is back after the statement');
SELECT visit_id AS w FROM sched.book_site_visit('t210_w', 'T210 Towers', pg_temp.today() + 5, 'morning', 'Planted', '9876521002') \gset
SELECT results_eq($$SELECT path, count(*)::int FROM t210_evil.seen GROUP BY path$$,
  $$VALUES ('pg_catalog, pg_temp', 2)$$, 'and inside a call, where the call''s own SET clause has pinned it already');

SELECT * FROM finish();
ROLLBACK;
