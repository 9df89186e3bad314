-- pgTAP: the role matrix (1.3).  Every call and view, as each kind of
-- caller of a deployment (anonymous, customers A and B, agents X and Y,
-- admin, worker, back end), on its own item and on another's: allowed
-- ('ok') or refused with its SQLSTATE.  Each attempt runs in a
-- subtransaction that is rolled back, so the cases do not change each
-- other's data.
BEGIN;
\ir include/clock.sql

UPDATE sched.agents SET active = false;
SET LOCAL sched.business_hours = '00:00-24:00';
-- (the turn sequences are shared with the other files: who is next is
-- not known, so who may take what decides it)
INSERT INTO sched.agents (name, phone, login, is_senior, slot_capacity, handles_visits, handles_callbacks)
VALUES ('T220 X', '9876522001', 't220-x', true, 10, true, true), ('T220 Y', '9876522002', 't220-y', true, 10, false, false);

CREATE ROLE t220_anon NOLOGIN;
CREATE ROLE t220_customer NOLOGIN;
CREATE ROLE t220_agent NOLOGIN;
CREATE ROLE t220_admin NOLOGIN;
CREATE ROLE t220_worker NOLOGIN;
CREATE ROLE t220_backend NOLOGIN;
SELECT sched.grant_customer_calls('t220_customer') IS NULL AS g \gset
SELECT sched.grant_agent_calls('t220_agent') IS NULL AS g \gset
SELECT sched.grant_admin_calls('t220_admin') IS NULL AS g \gset
SELECT sched.grant_worker_calls('t220_worker') IS NULL AS g \gset
SELECT sched.grant_user_calls('t220_backend') IS NULL AS g \gset

-- A's visit and callback are X's; B's visit is Y's
SELECT visit_id AS va FROM sched.book_site_visit('t220_a', 'T220 Towers', pg_temp.today() + 3, 'morning', 'A', '9876522101') \gset
SELECT callback_id AS ca FROM sched.request_callback('t220_a', 'A', '9876522101') \gset
UPDATE sched.agents SET handles_visits = (login = 't220-y') WHERE login LIKE 't220-_';
SELECT visit_id AS vb FROM sched.book_site_visit('t220_b', 'T220 Towers', pg_temp.today() + 3, 'evening', 'B', '9876522102') \gset
UPDATE sched.agents SET handles_visits = true WHERE login LIKE 't220-_';
SELECT job_id AS job FROM sched.outbox WHERE entity = 'visit' AND entity_id = :va ORDER BY job_id LIMIT 1 \gset
SELECT agent_id AS ax FROM sched.agents WHERE login = 't220-x' \gset

-- who: the role and the sub of the request's claims
CREATE TEMP TABLE callers (who text PRIMARY KEY, role text, sub text);
INSERT INTO callers VALUES
  ('anonymous', 't220_anon', NULL), ('customer A', 't220_customer', 't220_a'), ('customer B', 't220_customer', 't220_b'),
  ('agent X', 't220_agent', 't220-x'), ('agent Y', 't220_agent', 't220-y'), ('admin', 't220_admin', NULL),
  ('worker', 't220_worker', NULL), ('back end', 't220_backend', NULL);

-- the outcome of one statement as one caller, undone afterwards
CREATE FUNCTION pg_temp.try_as(caller text, stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r record;
  outcome text;
BEGIN
  SELECT * INTO r FROM callers WHERE who = caller;
  BEGIN
    PERFORM set_config('request.jwt.claims',
                       CASE WHEN r.sub IS NULL THEN json_build_object('role', r.role)
                            ELSE json_build_object('sub', r.sub, 'role', r.role) END::text, true);
    PERFORM set_config('role', r.role, true);
    EXECUTE stmt;
    RAISE EXCEPTION USING ERRCODE = 'ZZ001';
  EXCEPTION WHEN OTHERS THEN
    outcome := CASE WHEN SQLSTATE = 'ZZ001' THEN 'ok' ELSE SQLSTATE END;
  END;
  RETURN outcome;
END $$;

-- what each call gives each caller; %va %vb %ca %job %ax are the items above
CREATE TEMP TABLE matrix (n serial, stmt text, anonymous text, a text, b text, x text, y text, admin text, worker text, backend text);
INSERT INTO matrix (stmt, anonymous, a, b, x, y, admin, worker, backend) VALUES
  -- customer calls
  ($$SELECT sched.book_my_visit('T220 Towers', pg_temp.today() + 5, 'morning', 'Me', '9876522199')$$,
     '42501', 'ok', 'ok', '42501', '42501', '42501', '42501', '42501'),
  ($$SELECT sched.request_my_callback('Me', '9876522199')$$,   '42501', 'ok', 'ok', '42501', '42501', '42501', '42501', '42501'),
  ($$SELECT sched.my_schedule()$$,                             '42501', 'ok', 'ok', '42501', '42501', '42501', '42501', '42501'),
  ($$SELECT sched.cancel_my_visit(%va)$$,                      '42501', 'ok', 'PT404', '42501', '42501', '42501', '42501', '42501'),
  ($$SELECT sched.reschedule_my_visit(%va, pg_temp.today() + 6, 'evening')$$,
     '42501', 'ok', 'PT404', '42501', '42501', '42501', '42501', '42501'),
  -- (1.4) the chat in one call
  ($$SELECT * FROM sched.chat_turn('whatsapp', 'm220', 'hello')$$,  '42501', 'ok', 'ok', '42501', '42501', '42501', '42501', '42501'),
  ($$SELECT * FROM sched.chat_turn_for('t220_a', 'whatsapp', 'm220', 'hello')$$,
     '42501', '42501', '42501', '42501', '42501', 'ok', '42501', 'ok'),
  -- (1.4) WhatsApp
  ($$SELECT * FROM sched.set_my_channel('whatsapp', true)$$,       '42501', 'ok', 'ok', '42501', '42501', '42501', '42501', '42501'),
  ($$SELECT * FROM sched.set_channel_for('t220_a', 'sms', false)$$,
     '42501', '42501', '42501', '42501', '42501', 'ok', '42501', 'ok'),
  -- (1.4) time zones
  ($$SELECT sched.set_my_time_zone('America/New_York')$$,      '42501', 'ok', 'ok', '42501', '42501', '42501', '42501', '42501'),
  ($$SELECT sched.set_time_zone_for('t220_a', 'Europe/London')$$,
     '42501', '42501', '42501', '42501', '42501', 'ok', '42501', 'ok'),
  ($$SELECT sched.slot_label(pg_temp.today() + 3, 'morning', 'UTC')$$,
     '42501', 'ok', 'ok', '42501', '42501', 'ok', '42501', 'ok'),
  ($$SELECT sched.request_user_id()$$,                         '42501', 'ok', 'ok', 'ok', 'ok', '42501', '42501', '42501'),
  -- views: readable by their roles, and only one's own rows (checked below)
  ($$SELECT * FROM sched.my_visits$$,                          '42501', 'ok', 'ok', '42501', '42501', '42501', '42501', '42501'),
  ($$SELECT * FROM sched.my_callbacks$$,                       '42501', 'ok', 'ok', '42501', '42501', '42501', '42501', '42501'),
  ($$SELECT * FROM sched.my_assignments$$,                     '42501', '42501', '42501', 'ok', 'ok', '42501', '42501', '42501'),
  -- agent calls
  ($$SELECT sched.set_my_visit_status(%va, 'confirmed')$$,     '42501', '42501', '42501', 'ok', 'PT404', '42501', '42501', '42501'),
  ($$SELECT sched.set_my_callback_status(%ca, 'contacted')$$,  '42501', '42501', '42501', 'ok', 'PT404', '42501', '42501', '42501'),
  -- (1.4) an agent's own calendar; X's through the admin call
  ($$SELECT sched.my_calendar(pg_temp.today(), pg_temp.today() + 30)$$,
     '42501', '42501', '42501', 'ok', 'ok', '42501', '42501', '42501'),
  ($$SELECT sched.agent_calendar(%ax, pg_temp.today(), pg_temp.today() + 30)$$,
     '42501', '42501', '42501', '42501', '42501', 'ok', '42501', '42501'),
  -- back-end calls
  ($$SELECT sched.book_site_visit('t220_c', 'T220 Towers', pg_temp.today() + 5, 'morning', 'C', '9876522103')$$,
     '42501', '42501', '42501', '42501', '42501', 'ok', '42501', 'ok'),
  ($$SELECT sched.request_callback('t220_c', 'C', '9876522103')$$, '42501', '42501', '42501', '42501', '42501', 'ok', '42501', 'ok'),
  ($$SELECT sched.user_schedule('t220_a')$$,                   '42501', '42501', '42501', '42501', '42501', 'ok', '42501', 'ok'),
  ($$SELECT * FROM sched.available_slots('T220 Towers')$$,     '42501', 'ok', 'ok', '42501', '42501', 'ok', '42501', 'ok'),
  -- admin calls
  ($$SELECT * FROM sched.list_visits()$$,                      '42501', '42501', '42501', '42501', '42501', 'ok', '42501', '42501'),
  ($$SELECT * FROM sched.list_callbacks()$$,                   '42501', '42501', '42501', '42501', '42501', 'ok', '42501', '42501'),
  ($$SELECT sched.set_visit_status(%va, 'confirmed')$$,        '42501', '42501', '42501', '42501', '42501', 'ok', '42501', '42501'),
  ($$SELECT sched.set_callback_status(%ca, 'contacted')$$,     '42501', '42501', '42501', '42501', '42501', 'ok', '42501', '42501'),
  ($$SELECT sched.cancel_visit(%vb)$$,                         '42501', '42501', '42501', '42501', '42501', 'ok', '42501', '42501'),
  ($$SELECT sched.reschedule_visit(%vb, pg_temp.today() + 6, 'morning')$$,
     '42501', '42501', '42501', '42501', '42501', 'ok', '42501', '42501'),
  ($$SELECT sched.mark_no_shows()$$,                           '42501', '42501', '42501', '42501', '42501', 'ok', '42501', '42501'),
  ($$SELECT sched.escalate_overdue_callbacks()$$,              '42501', '42501', '42501', '42501', '42501', 'ok', '42501', '42501'),
  ($$SELECT sched.retry_job(%job)$$,                           '42501', '42501', '42501', '42501', '42501', 'PT409', '42501', '42501'),
  ($$SELECT sched.erase_user('t220_b')$$,                      '42501', '42501', '42501', '42501', '42501', 'ok', '42501', '42501'),
  ($$SELECT sched.assignment_stats(pg_temp.today(), pg_temp.today())$$,
     '42501', '42501', '42501', '42501', '42501', 'ok', '42501', '42501'),
  -- worker calls
  ($$SELECT sched.claim_jobs('w')$$,                           '42501', '42501', '42501', '42501', '42501', '42501', 'ok', '42501'),
  ($$SELECT sched.render_message(%job)$$,                      '42501', '42501', '42501', '42501', '42501', '42501', 'ok', '42501'),
  ($$SELECT sched.complete_job(%job)$$,                        '42501', '42501', '42501', '42501', '42501', '42501', 'PT409', '42501'),
  ($$SELECT sched.fail_job(%job, 'smtp 451')$$,                '42501', '42501', '42501', '42501', '42501', '42501', 'PT409', '42501'),
  ($$SELECT sched.fail_job_permanently(%job, 'smtp 550')$$,    '42501', '42501', '42501', '42501', '42501', '42501', 'PT409', '42501'),
  ($$SELECT sched.sync_agent_busy(%ax, 'google', '[]')$$,   '42501', '42501', '42501', '42501', '42501', 'ok', 'ok', '42501'),
  ($$SELECT sched.visit_ics(%va)$$,                            '42501', '42501', '42501', '42501', '42501', 'ok', 'ok', '42501'),
  -- the tables themselves
  ($$SELECT * FROM sched.scheduled_visits$$,                   '42501', '42501', '42501', '42501', '42501', 'ok', '42501', '42501'),
  ($$SELECT * FROM sched.outbox$$,                             '42501', '42501', '42501', '42501', '42501', 'ok', '42501', '42501'),
  ($$UPDATE sched.scheduled_visits SET status = 'confirmed' WHERE visit_id = %va$$,
     '42501', '42501', '42501', '42501', '42501', '42501', '42501', '42501'),
  ($$DELETE FROM sched.status_history$$,                       '42501', '42501', '42501', '42501', '42501', '42501', '42501', '42501'),
  ($$INSERT INTO sched.projects (project) VALUES ('x')$$,      '42501', '42501', '42501', '42501', '42501', '42501', '42501', '42501'),
  ($$SELECT sched.grant_customer_calls('t220_anon')$$,         '42501', '42501', '42501', '42501', '42501', '42501', '42501', '42501');

CREATE TEMP TABLE cases AS
SELECT m.n, c.who, replace(replace(replace(replace(replace(m.stmt, '%va', :va::text), '%vb', :vb::text), '%ca', :ca::text), '%job', :job::text),
                           '%ax', :ax::text) AS stmt,
       CASE c.who WHEN 'anonymous' THEN m.anonymous WHEN 'customer A' THEN m.a WHEN 'customer B' THEN m.b
                  WHEN 'agent X' THEN m.x WHEN 'agent Y' THEN m.y WHEN 'admin' THEN m.admin
                  WHEN 'worker' THEN m.worker ELSE m.backend END AS expected
  FROM matrix m CROSS JOIN callers c;

SELECT plan((SELECT count(*)::int FROM cases) + 6);
SELECT is(pg_temp.try_as(who, stmt), expected, format('%s: %s -> %s', who, stmt, expected))
  FROM cases ORDER BY n, who;

-- the views show each caller only their own rows
CREATE FUNCTION pg_temp.rows_as(caller text, stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r record;
  got text;
BEGIN
  SELECT * INTO r FROM callers WHERE who = caller;
  PERFORM set_config('request.jwt.claims', json_build_object('sub', r.sub, 'role', r.role)::text, true);
  PERFORM set_config('role', r.role, true);
  EXECUTE stmt INTO got;
  PERFORM set_config('role', 'none', true);
  RETURN got;
END $$;
SELECT is(pg_temp.rows_as('customer A', 'SELECT string_agg(visit_id::text, '','' ORDER BY visit_id) FROM sched.my_visits'),
  :va::text, 'customer A''s my_visits holds A''s visit only');
SELECT is(pg_temp.rows_as('customer B', 'SELECT string_agg(visit_id::text, '','' ORDER BY visit_id) FROM sched.my_visits'),
  :vb::text, 'customer B''s holds B''s only');
SELECT is(pg_temp.rows_as('customer B', 'SELECT count(*)::text FROM sched.my_callbacks'), '0', 'B has no callbacks (A''s is not shown)');
SELECT is(pg_temp.rows_as('agent X', $$SELECT string_agg(entity || ' ' || id, ',' ORDER BY entity, id) FROM sched.my_assignments$$),
  format('visit %s,callback %s', :va, :ca), 'agent X''s my_assignments holds X''s visit and callback only');
SELECT is(pg_temp.rows_as('agent Y', $$SELECT string_agg(entity || ' ' || id, ',' ORDER BY entity, id) FROM sched.my_assignments$$),
  format('visit %s', :vb), 'agent Y''s holds Y''s visit only');
SELECT is(pg_temp.rows_as('customer A', 'SELECT count(*)::text FROM sched.my_visits WHERE visit_id = ' || :vb), '0',
  'a customer''s own filter on another''s id finds nothing');

SELECT * FROM finish();
ROLLBACK;
