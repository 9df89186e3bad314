-- pgTAP: the status workflows, enforced by the BEFORE triggers for the
-- admin calls and for a DBA's plain UPDATE alike.
--   visits:    pending -> confirmed | cancelled | no_show
--              confirmed -> completed | cancelled | no_show
--              completed, cancelled, no_show are final
--   callbacks: pending -> contacted | no_answer
--              no_answer -> contacted | no_answer (another try)
--              contacted -> completed; completed is final
-- Setting a status a row already has (other than no_answer again) is not
-- a move: nothing happens.
BEGIN;
SELECT plan(191);

UPDATE sched.agents SET active = false;
-- Bookings and profiles of this file's users left by anything else are
-- set aside (this file's transaction rolls back, so nothing is lost).
DELETE FROM sched.user_profiles WHERE lower(user_id) LIKE 't50\_%';
DELETE FROM sched.scheduled_visits WHERE lower(user_id) LIKE 't50\_%';
DELETE FROM sched.callbacks WHERE lower(user_id) LIKE 't50\_%';
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity)
VALUES ('T50 Agent', '9876500051', true, 100000);
SELECT agent_id AS a1 FROM sched.agents WHERE name = 'T50 Agent' \gset

-- The workflows as the issue states them: the expected answers of this
-- file, written independently of the C tables.
CREATE TEMP TABLE visit_moves (from_s text, to_s text);
INSERT INTO visit_moves VALUES
  ('pending', 'confirmed'), ('pending', 'cancelled'), ('pending', 'no_show'),
  ('confirmed', 'completed'), ('confirmed', 'cancelled'), ('confirmed', 'no_show');
CREATE TEMP TABLE callback_moves (from_s text, to_s text);
INSERT INTO callback_moves VALUES
  ('pending', 'contacted'), ('pending', 'no_answer'),
  ('no_answer', 'contacted'), ('no_answer', 'no_answer'),
  ('contacted', 'completed');

-- A fresh visit in a given status, reached by legal moves.
CREATE FUNCTION pg_temp.visit_in(target text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  id bigint;
BEGIN
  id := (sched.book_site_visit('t50_matrix', 'Brigade Citrine', current_date + 2, 'morning',
                               'Matrix Customer', '9876543250')).visit_id;
  IF target IN ('confirmed', 'completed') THEN
    PERFORM sched.set_visit_status(id, 'confirmed');
  END IF;
  IF target = 'completed' THEN
    PERFORM sched.set_visit_status(id, 'completed');
  ELSIF target IN ('cancelled', 'no_show') THEN
    PERFORM sched.set_visit_status(id, target::sched.visit_status);
  END IF;
  RETURN id;
END $$;

-- A fresh callback in a given status, reached by legal moves.
CREATE FUNCTION pg_temp.callback_in(target text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  id bigint;
BEGIN
  id := (sched.request_callback('t50_matrix', 'Matrix Customer', '9876543250')).callback_id;
  IF target IN ('contacted', 'completed') THEN
    PERFORM sched.set_callback_status(id, 'contacted');
  END IF;
  IF target = 'completed' THEN
    PERFORM sched.set_callback_status(id, 'completed');
  ELSIF target = 'no_answer' THEN
    PERFORM sched.set_callback_status(id, 'no_answer');
  END IF;
  RETURN id;
END $$;

-- One move of one entity, through the call or a plain UPDATE, checked
-- against the expected answer: two assertions each.
CREATE FUNCTION pg_temp.check_move(entity text, from_s text, to_s text, via text)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  id bigint;
  stmt text;
  allowed boolean;
  what text := format('%s %s -> %s via %s', entity, from_s, to_s,
                      CASE via WHEN 'call' THEN 'set_' || entity || '_status' ELSE 'plain UPDATE' END);
  history_before bigint;
  now_status text;
BEGIN
  IF entity = 'visit' THEN
    id := pg_temp.visit_in(from_s);
    allowed := EXISTS (SELECT 1 FROM visit_moves m WHERE m.from_s = $2 AND m.to_s = $3);
    stmt := CASE via
      WHEN 'call' THEN format('SELECT sched.set_visit_status(%s, %L)', id, to_s)
      ELSE format('UPDATE sched.scheduled_visits SET status = %L WHERE visit_id = %s', to_s, id) END;
  ELSE
    id := pg_temp.callback_in(from_s);
    allowed := EXISTS (SELECT 1 FROM callback_moves m WHERE m.from_s = $2 AND m.to_s = $3);
    stmt := CASE via
      WHEN 'call' THEN format('SELECT sched.set_callback_status(%s, %L)', id, to_s)
      ELSE format('UPDATE sched.callbacks SET status = %L WHERE callback_id = %s', to_s, id) END;
  END IF;
  SELECT count(*) INTO history_before FROM sched.status_history h
   WHERE h.entity = $1::sched.entity AND h.entity_id = id;

  IF allowed THEN
    RETURN NEXT lives_ok(stmt, what || ' is allowed');
  ELSIF from_s = to_s THEN
    RETURN NEXT lives_ok(stmt, what || ' (same status) is accepted as a no-op');
  ELSE
    RETURN NEXT throws_ok(stmt, 'PT409',
      format('illegal %s status change from %s to %s', entity, from_s, to_s),
      what || ' is refused with PT409 naming both states');
  END IF;

  IF entity = 'visit' THEN
    SELECT v.status::text INTO now_status FROM sched.scheduled_visits v WHERE v.visit_id = id;
  ELSE
    SELECT c.status::text INTO now_status FROM sched.callbacks c WHERE c.callback_id = id;
  END IF;
  IF allowed THEN
    RETURN NEXT is(now_status || ' / ' || (SELECT count(*) FROM sched.status_history h
                    WHERE h.entity = $1::sched.entity AND h.entity_id = id) - history_before,
                   to_s || ' / 1', what || ': the row is ' || to_s || ' and one history row is written');
  ELSE
    RETURN NEXT is(now_status || ' / ' || (SELECT count(*) FROM sched.status_history h
                    WHERE h.entity = $1::sched.entity AND h.entity_id = id) - history_before,
                   from_s || ' / 0', what || ': the row stays ' || from_s || ' and no history is written');
  END IF;
END $$;

-- Every pair of statuses of both entities, both ways: 25 * 2 * 2 + 16 * 2 * 2 = 164.
SELECT pg_temp.check_move('visit', f.s::text, t.s::text, via)
  FROM unnest(enum_range(NULL::sched.visit_status)) WITH ORDINALITY AS f (s, i),
       unnest(enum_range(NULL::sched.visit_status)) WITH ORDINALITY AS t (s, j),
       unnest(ARRAY['call', 'update']) WITH ORDINALITY AS w (via, k)
 ORDER BY i, j, k;
SELECT pg_temp.check_move('callback', f.s::text, t.s::text, via)
  FROM unnest(enum_range(NULL::sched.callback_status)) WITH ORDINALITY AS f (s, i),
       unnest(enum_range(NULL::sched.callback_status)) WITH ORDINALITY AS t (s, j),
       unnest(ARRAY['call', 'update']) WITH ORDINALITY AS w (via, k)
 ORDER BY i, j, k;

-- The error says what is allowed, and that a final status is final.
CREATE FUNCTION pg_temp.error_detail(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  detail text;
BEGIN
  EXECUTE stmt;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
  RETURN detail;
END $$;
SELECT visit_id AS vd FROM sched.book_site_visit('t50_detail', 'P', current_date + 2, 'evening', 'D', '9876543251') \gset
SELECT is(pg_temp.error_detail(format($$SELECT sched.set_visit_status(%s, 'completed')$$, :vd)),
  'A pending visit can move to: confirmed, cancelled, no_show.',
  'the detail of an illegal move lists the moves that are allowed');
SELECT sched.set_visit_status(:vd, 'cancelled') IS NOT NULL AS moved \gset
SELECT is(pg_temp.error_detail(format($$SELECT sched.set_visit_status(%s, 'confirmed')$$, :vd)),
  format('The visit %s is cancelled, a final status.', :vd),
  'the detail of a move out of a final status says it is final');

-- ---------------------------------------------------------------------
-- Visits: each move stamps its time; an import shows the earlier stamps
-- are kept.
-- ---------------------------------------------------------------------
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone,
                                    agent_id, status, created_at, updated_at, confirmed_at)
VALUES ('t50_stamp', 'P', current_date + 2, 'afternoon', 'Stamp', '9876543252', :a1, 'confirmed',
        now() - interval '3 days', now() - interval '2 days', now() - interval '2 days');
SELECT visit_id AS vs FROM sched.scheduled_visits WHERE user_id = 't50_stamp' \gset
CREATE TEMP TABLE moved_visit AS SELECT * FROM sched.set_visit_status(:vs, 'completed', 'Went well');
SELECT results_eq('SELECT * FROM moved_visit',
  format('SELECT * FROM sched.scheduled_visits WHERE visit_id = %s', :vs),
  'set_visit_status returns the row as stored after the move');
SELECT results_eq(
  'SELECT status::text, completed_at, confirmed_at, cancelled_at, updated_at, rm_notes FROM moved_visit',
  $$VALUES ('completed', now(), now() - interval '2 days', NULL::timestamptz, now(), 'Went well')$$,
  'confirmed -> completed stamps completed_at and updated_at, keeps confirmed_at, stores rm_notes');

SELECT visit_id AS vc FROM sched.book_site_visit('t50_stamp', 'P', current_date + 2, 'evening', 'Stamp', '9876543252') \gset
SELECT results_eq(
  format($$SELECT status::text, confirmed_at, completed_at, cancelled_at FROM sched.set_visit_status(%s, 'confirmed')$$, :vc),
  $$VALUES ('confirmed', now(), NULL::timestamptz, NULL::timestamptz)$$,
  'pending -> confirmed stamps confirmed_at only');
SELECT results_eq(
  format($$SELECT status::text, confirmed_at, completed_at, cancelled_at FROM sched.set_visit_status(%s, 'cancelled')$$, :vc),
  $$VALUES ('cancelled', now(), NULL::timestamptz, now())$$,
  'confirmed -> cancelled stamps cancelled_at and keeps confirmed_at');
SELECT visit_id AS vn FROM sched.book_site_visit('t50_stamp', 'P', current_date + 3, 'evening', 'Stamp', '9876543252') \gset
SELECT results_eq(
  format($$SELECT status::text, confirmed_at, completed_at, cancelled_at, updated_at FROM sched.set_visit_status(%s, 'no_show')$$, :vn),
  $$VALUES ('no_show', NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, now())$$,
  'pending -> no_show stamps no status time, only updated_at');

-- The same through a plain UPDATE, which also cannot forge the stamps.
SELECT visit_id AS vu FROM sched.book_site_visit('t50_stamp', 'P', current_date + 4, 'evening', 'Stamp', '9876543252') \gset
UPDATE sched.scheduled_visits SET status = 'confirmed', confirmed_at = now() - interval '9 days'
 WHERE visit_id = :vu;
SELECT is((SELECT confirmed_at FROM sched.scheduled_visits WHERE visit_id = :vu), now(),
  'a plain UPDATE to confirmed stamps confirmed_at with now(), whatever the statement wrote');

-- Same status again is a no-op: no error, no history, no outbox, stamps kept.
SELECT count(*) AS h_before FROM sched.status_history WHERE entity = 'visit' AND entity_id = :vs \gset
SELECT count(*) AS o_before FROM sched.outbox WHERE entity = 'visit' AND entity_id = :vs \gset
SELECT results_eq(
  format($$SELECT status::text, completed_at, rm_notes FROM sched.set_visit_status(%s, 'completed', 'Second note')$$, :vs),
  $$VALUES ('completed', now(), 'Second note')$$,
  'completed -> completed is a no-op for the status (notes may still be replaced)');
SELECT is((SELECT count(*) FROM sched.status_history WHERE entity = 'visit' AND entity_id = :vs), :h_before::bigint,
  'a same-status call writes no history');
SELECT is((SELECT count(*) FROM sched.outbox WHERE entity = 'visit' AND entity_id = :vs), :o_before::bigint,
  'a same-status call queues no notification');
SELECT results_eq(
  format($$SELECT status::text, rm_notes FROM sched.set_visit_status(%s, 'completed')$$, :vs),
  $$VALUES ('completed', 'Second note')$$,
  'rm_notes NULL keeps the stored notes');

-- ---------------------------------------------------------------------
-- Callbacks: attempts, last_attempt_at, contacted_at, completed_at
-- ---------------------------------------------------------------------
SELECT callback_id AS cb FROM sched.request_callback('t50_attempts', 'Attempts', '9876543253') \gset
SELECT results_eq(
  format($$SELECT status::text, attempts, last_attempt_at, contacted_at FROM sched.set_callback_status(%s, 'no_answer', 'Rang, no answer', 0, 'no pickup')$$, :cb),
  $$VALUES ('no_answer', 1, now(), NULL::timestamptz)$$,
  'pending -> no_answer counts attempt 1 and stamps last_attempt_at, not contacted_at');
SELECT results_eq(
  format($$SELECT status::text, attempts FROM sched.set_callback_status(%s, 'no_answer')$$, :cb),
  $$VALUES ('no_answer', 2)$$,
  'no_answer -> no_answer (another try) counts attempt 2');
UPDATE sched.callbacks SET status = 'no_answer' WHERE callback_id = :cb;
SELECT is((SELECT attempts FROM sched.callbacks WHERE callback_id = :cb), 3,
  'no_answer -> no_answer through a plain UPDATE counts attempt 3');
UPDATE sched.callbacks SET agent_notes = 'Will try tomorrow' WHERE callback_id = :cb;
SELECT is((SELECT attempts FROM sched.callbacks WHERE callback_id = :cb), 3,
  'an UPDATE that does not set the status is not an attempt');
SELECT results_eq(
  format($$SELECT status::text, attempts, contacted_at, completed_at, call_duration_s, outcome, agent_notes
             FROM sched.set_callback_status(%s, 'contacted', 'Spoke to him', 310, 'interested')$$, :cb),
  $$VALUES ('contacted', 4, now(), NULL::timestamptz, 310, 'interested', 'Spoke to him')$$,
  'no_answer -> contacted counts attempt 4, stamps contacted_at and stores the call');
SELECT results_eq(
  format($$SELECT status::text, attempts, completed_at, call_duration_s, outcome, agent_notes
             FROM sched.set_callback_status(%s, 'completed')$$, :cb),
  $$VALUES ('completed', 4, now(), 310, 'interested', 'Spoke to him')$$,
  'contacted -> completed stamps completed_at, is not an attempt, and NULL arguments keep what is stored');
SELECT results_eq(
  format('SELECT * FROM sched.set_callback_status(%s, %L)', :cb, 'completed'),
  format('SELECT * FROM sched.callbacks WHERE callback_id = %s', :cb),
  'set_callback_status returns the row as stored');

-- contacted_at of an earlier contact is kept when completing
INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, agent_id, status, attempts,
                             contacted_at, last_attempt_at, created_at)
VALUES ('t50_import', 'Import', '9876543254', :a1, 'contacted', 2, now() - interval '1 day',
        now() - interval '1 day', now() - interval '2 days');
SELECT callback_id AS ci FROM sched.callbacks WHERE user_id = 't50_import' \gset
SELECT results_eq(
  format($$SELECT attempts, contacted_at, completed_at, last_attempt_at FROM sched.set_callback_status(%s, 'completed')$$, :ci),
  $$VALUES (2, now() - interval '1 day', now(), now() - interval '1 day')$$,
  'contacted -> completed keeps contacted_at and last_attempt_at, stamps completed_at');

-- pending -> contacted through a plain UPDATE
SELECT callback_id AS cu FROM sched.request_callback('t50_update', 'Update', '9876543255') \gset
UPDATE sched.callbacks SET status = 'contacted', attempts = 0 WHERE callback_id = :cu;
SELECT results_eq(
  format('SELECT attempts, contacted_at, last_attempt_at FROM sched.callbacks WHERE callback_id = %s', :cu),
  $$VALUES (1, now(), now())$$,
  'a plain UPDATE to contacted counts one attempt and stamps contacted_at and last_attempt_at');

-- contacted -> contacted is not a move: no attempt
SELECT results_eq(
  format($$SELECT status::text, attempts FROM sched.set_callback_status(%s, 'contacted')$$, :cu),
  $$VALUES ('contacted', 1)$$,
  'contacted -> contacted is a no-op and counts no attempt');

-- ---------------------------------------------------------------------
-- A new row starts pending; ids cannot change
-- ---------------------------------------------------------------------
SELECT throws_ok(
  $$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, status)
    VALUES ('t50_new', 'P', current_date + 2, 'evening', 'New', '9876543256', 'confirmed')$$,
  '22023', 'a new visit must be pending', 'a plain INSERT of a visit past pending is refused');
SELECT throws_ok(
  $$INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, status)
    VALUES ('t50_new', 'New', '9876543256', 'completed')$$,
  '22023', 'a new callback must be pending', 'a plain INSERT of a callback past pending is refused');
SELECT throws_ok(format('UPDATE sched.scheduled_visits SET visit_id = visit_id + 1000000 WHERE visit_id = %s', :vn),
  '22023', 'visit_id cannot be changed', 'a visit''s id cannot be changed');
SELECT throws_ok(format('UPDATE sched.callbacks SET callback_id = callback_id + 1000000 WHERE callback_id = %s', :cu),
  '22023', 'callback_id cannot be changed', 'a callback''s id cannot be changed');
SELECT throws_ok(format('UPDATE sched.scheduled_visits SET status = NULL WHERE visit_id = %s', :vn),
  '22004', 'status must not be null', 'a plain UPDATE cannot clear the status');

SELECT * FROM finish();
ROLLBACK;
