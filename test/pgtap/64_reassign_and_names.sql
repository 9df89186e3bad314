-- pgTAP: a visit put back into the round robin does not count against
-- itself; the errors of an empty pool and of a full slot carry different
-- constraint names; an error names book_site_visit's argument (notes) or
-- the table's column (user_notes), as the caller wrote it.
BEGIN;
SELECT plan(6);

UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, slot_capacity, handles_callbacks) VALUES ('T64 Only', '9876564001', 1, false);
SELECT visit_id AS v FROM sched.book_site_visit('t64', 'P', current_date + 2, 'morning', 'N', '9876543210') \gset
SELECT lives_ok(format('UPDATE sched.scheduled_visits SET agent_id = NULL WHERE visit_id = %s', :v),
  'setting agent_id to NULL on a live visit whose agent is the only one with room (its own place) works');
SELECT is((SELECT a.name FROM sched.scheduled_visits JOIN sched.agents a USING (agent_id) WHERE visit_id = :v),
  'T64 Only', 'and gives the visit back to that agent');

CREATE FUNCTION pg_temp.constraint_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE c text; s text;
BEGIN
  EXECUTE sql;
  RETURN 'no error';
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS c = CONSTRAINT_NAME, s = RETURNED_SQLSTATE;
  RETURN s || ' ' || c;
END $$;
SELECT is(pg_temp.constraint_of($$SELECT sched.request_callback('t64', 'N', '9876543210')$$),
  'PT409 sched_agent_pool', 'nobody taking callbacks is PT409 with constraint name sched_agent_pool');
SELECT is(pg_temp.constraint_of($$SELECT sched.book_site_visit('t64b', 'P', current_date + 2, 'morning', 'N', '9876543210')$$),
  'PT409 sched_agent_capacity', 'a full slot is PT409 with constraint name sched_agent_capacity');

SELECT throws_ok($$SELECT sched.book_site_visit('t64c', 'P', current_date + 2, 'morning', 'N', '9876543210',
                   notes => repeat('x', 2001))$$,
  '22023', 'notes is too long', 'book_site_visit names its argument notes');
SELECT throws_ok($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name,
                   contact_phone, user_notes) VALUES ('t64d', 'P', current_date + 2, 'morning', 'N', '9876543210',
                   repeat('x', 2001))$$,
  '22023', 'user_notes is too long', 'a plain INSERT names the column user_notes');

SELECT * FROM finish();
ROLLBACK;
