-- pgTAP: the customers' and agents' own calls (1.3).  Who is calling
-- comes from the request (request.jwt.claims, as PostgREST sets it),
-- never from an argument; each sees and changes only their own; the
-- customers' calls are held to the open-item limits (PT429).
BEGIN;
SELECT plan(89);
\ir include/clock.sql

UPDATE sched.agents SET active = false;
-- Xavier takes the visits until Bob books (the turn sequences are shared
-- with the other files, so who is next is not known)
INSERT INTO sched.agents (name, phone, login, slot_capacity, handles_visits)
VALUES ('T170 Xavier', '9876501701', 't170-agent-x', 10, true), ('T170 Yamini', '9876501702', 't170-agent-y', 10, false);
SELECT agent_id AS ax FROM sched.agents WHERE login = 't170-agent-x' \gset
SELECT agent_id AS ay FROM sched.agents WHERE login = 't170-agent-y' \gset
-- no business hours and no one on a deadline: durations stay fixed
SET LOCAL sched.business_hours = '00:00-24:00';

CREATE ROLE t170_customer NOLOGIN;
CREATE ROLE t170_agent NOLOGIN;
CREATE ROLE t170_login LOGIN;
SELECT sched.grant_customer_calls('t170_customer');
SELECT sched.grant_agent_calls('t170_agent');

CREATE FUNCTION pg_temp.written_rows() RETURNS text LANGUAGE sql AS $$
  SELECT format('visits %s, callbacks %s, outbox %s, history %s',
                (SELECT count(*) FROM sched.scheduled_visits), (SELECT count(*) FROM sched.callbacks),
                (SELECT count(*) FROM sched.outbox), (SELECT count(*) FROM sched.status_history))
$$;
-- a request of a user: the claims PostgREST sets for the transaction
CREATE FUNCTION pg_temp.as_user(sub text) RETURNS text LANGUAGE sql AS $$
  SELECT set_config('request.jwt.claims',
                    CASE WHEN sub IS NULL THEN '{"role": "anon"}' ELSE json_build_object('sub', sub, 'role', 'authenticated')::text END,
                    true)
$$;

-- ---------------------------------------------------------------------
-- sched.request_user_id
-- ---------------------------------------------------------------------
SELECT pg_temp.as_user('t170_alice') IS NULL AS ignored \gset
SELECT is(sched.request_user_id(), 't170_alice', 'the user is the sub claim of request.jwt.claims');
SELECT set_config('request.jwt.claims', '{"sub": "  t170_alice  "}', true) IS NULL AS ignored \gset
SELECT is(sched.request_user_id(), 't170_alice', 'trimmed, as sched stores user ids');
SELECT set_config('request.jwt.claims', '{"sub": 1701}', true) IS NULL AS ignored \gset
SELECT is(sched.request_user_id(), '1701', 'a numeric claim in its text form');
SELECT set_config('request.jwt.claims', '{"sub": {"id": 1}}', true) IS NULL AS ignored \gset
SELECT is(sched.request_user_id(), NULL, 'an object is no user');
SELECT set_config('request.jwt.claims', '[1, 2]', true) IS NULL AS ignored \gset
SELECT is(sched.request_user_id(), NULL, 'claims that are not an object name no user');
SELECT set_config('request.jwt.claims', '{"email": "a@example.com"}', true) IS NULL AS ignored \gset
SELECT is(sched.request_user_id(), NULL, 'no sub claim, no user');
SET LOCAL sched.user_id_claim = 'email';
SELECT is(sched.request_user_id(), 'a@example.com', 'sched.user_id_claim names another claim');
RESET sched.user_id_claim;
SELECT set_config('request.jwt.claims', '', true) IS NULL AS ignored \gset
SELECT set_config('request.jwt.claim.sub', 't170_legacy', true) IS NULL AS ignored \gset
SELECT is(sched.request_user_id(), 't170_legacy', 'without request.jwt.claims, the legacy request.jwt.claim.sub');
SELECT set_config('request.jwt.claim.sub', '', true) IS NULL AS ignored \gset
SELECT set_config('request.headers', '{"x-user-id": "t170_alice"}', true) IS NULL AS ignored \gset
SELECT is(sched.request_user_id(), NULL, 'request.headers is never read');
SELECT set_config('request.jwt.claims', '{not json', true) IS NULL AS ignored \gset
SELECT throws_ok($$SELECT sched.request_user_id()$$, '22P02', NULL, 'malformed claims are an error (22P02)');
SELECT throws_ok($$SET sched.user_id_claim = ''$$, '22023', NULL, 'the claim''s name must not be empty');
SET ROLE t170_customer;
SELECT throws_ok($$SET sched.user_id_claim = 'email'$$, '42501', NULL, 'a customer cannot choose the claim');
RESET ROLE;

-- ---------------------------------------------------------------------
-- Grants
-- ---------------------------------------------------------------------
SELECT throws_ok($$SELECT sched.grant_customer_calls('t170_login')$$, '22023', 'role t170_login can log in',
  'grant_customer_calls refuses a role that can log in (it could set its own claims)');
SELECT throws_ok($$SELECT sched.grant_agent_calls('t170_login')$$, '22023', 'role t170_login can log in',
  'and so does grant_agent_calls');
SELECT ok(NOT has_function_privilege('t170_customer', 'sched.book_site_visit(text,text,date,sched.time_slot,text,text,text,text,text,integer,text)', 'EXECUTE')
          AND NOT has_function_privilege('t170_customer', 'sched.user_schedule(text)', 'EXECUTE')
          AND NOT has_table_privilege('t170_customer', 'sched.scheduled_visits', 'SELECT')
          AND NOT has_table_privilege('t170_customer', 'sched.my_assignments', 'SELECT'),
  'a customer role gets none of the back end''s calls, no table, not the agents'' view');
SELECT ok(has_table_privilege('t170_customer', 'sched.my_visits', 'SELECT')
          AND NOT has_table_privilege('t170_customer', 'sched.my_visits', 'UPDATE')
          AND has_function_privilege('t170_customer', 'sched.available_slots(text,date,integer)', 'EXECUTE'),
  'it reads its own views and the free slots');
SELECT ok(NOT has_function_privilege('t170_agent', 'sched.set_visit_status(bigint,sched.visit_status,text)', 'EXECUTE')
          AND NOT has_function_privilege('t170_agent', 'sched.book_my_visit(text,date,sched.time_slot,text,text,text,text,text)', 'EXECUTE')
          AND has_table_privilege('t170_agent', 'sched.my_assignments', 'SELECT')
          AND NOT has_table_privilege('t170_agent', 'sched.my_visits', 'SELECT'),
  'an agent role gets its own view and calls, not the admin calls or the customers''');

-- ---------------------------------------------------------------------
-- Customer calls
-- ---------------------------------------------------------------------
SET ROLE t170_customer;
SELECT pg_temp.as_user(NULL) IS NULL AS ignored \gset
SELECT throws_ok($$SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 3, 'morning', 'Alice', '9876517001')$$,
  '42501', 'this call needs the user of the request', 'no user in the request: book_my_visit is 42501');
SELECT throws_ok($$SELECT * FROM sched.request_my_callback('Alice', '9876517001')$$, '42501', NULL,
  'request_my_callback too');
SELECT throws_ok($$SELECT sched.my_schedule()$$, '42501', NULL, 'my_schedule too');
SELECT throws_ok($$SELECT * FROM sched.cancel_my_visit(1)$$, '42501', NULL, 'cancel_my_visit too');
SELECT throws_ok($$SELECT * FROM sched.reschedule_my_visit(1, pg_temp.today() + 4, 'morning')$$, '42501', NULL,
  'reschedule_my_visit too');
SELECT is((SELECT count(*)::int FROM sched.my_visits), 0, 'and the views show nothing');

SELECT pg_temp.as_user('t170_alice') IS NULL AS ignored \gset
CREATE TEMP TABLE alice_visit AS
SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 3, 'morning', 'Alice Rao', '9876517001',
                                  'alice@example.com', 'near the gate', 'alice-key-1');
SELECT visit_id AS alice_v FROM alice_visit \gset
SELECT is((SELECT ref FROM alice_visit), (SELECT ref FROM sched.my_visits WHERE visit_id = :alice_v),
  'book_my_visit returns the visit as my_visits shows it');
SELECT is((SELECT agent_name || ' ' || agent_phone FROM alice_visit), 'T170 Xavier +919876501701',
  'with the relationship manager''s name and phone');
SELECT is((SELECT starts_at FROM alice_visit),
  (SELECT starts_at FROM sched.slot_bounds(pg_temp.today() + 3, 'morning')), 'and the slot''s local start');
SELECT is((SELECT count(*)::int FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 3, 'morning', 'Alice Rao',
                                                          '9876517001', idempotency_key => 'alice-key-1')
            WHERE visit_id = :alice_v), 1, 'the same idempotency key returns the first visit');
SELECT columns_are('sched', 'my_visits',
  ARRAY['visit_id', 'ref', 'project', 'visit_date', 'time_slot', 'starts_at', 'ends_at', 'status', 'created_at',
        'confirmed_at', 'completed_at', 'cancelled_at', 'updated_at', 'agent_name', 'agent_phone',
        'contact_name', 'contact_phone', 'contact_email', 'notes'],
  'my_visits has the customer-facing columns only (no rm_notes, lead_score, idempotency_key, session_id)');
SELECT columns_are('sched', 'my_callbacks',
  ARRAY['callback_id', 'ref', 'urgency', 'reason', 'status', 'due_at', 'created_at', 'contacted_at', 'completed_at',
        'updated_at', 'agent_name', 'agent_phone', 'contact_name', 'contact_phone', 'contact_email'],
  'my_callbacks has the customer-facing columns only (no agent_notes, outcome, attempts, lead_score)');
CREATE TEMP TABLE alice_callback AS
SELECT * FROM sched.request_my_callback('Alice Rao', '9876517001', 'price list', 'high');
SELECT callback_id AS alice_c FROM alice_callback \gset
SELECT is((SELECT urgency::text || ' ' || status::text FROM alice_callback), 'high pending',
  'request_my_callback returns the callback as my_callbacks shows it');
SELECT is((SELECT jsonb_array_length(s -> 'visits') || '/' || jsonb_array_length(s -> 'callbacks')
             FROM sched.my_schedule() s), '1/1', 'my_schedule has the user''s visit and callback');
SELECT ok(NOT (sched.my_schedule() -> 'visits' -> 0 ? 'rm_notes') AND NOT (sched.my_schedule() -> 'visits' -> 0 ? 'lead_score')
          AND NOT (sched.my_schedule() -> 'callbacks' -> 0 ? 'agent_notes'),
  'and no team-only field');
RESET ROLE;
SELECT is((SELECT user_id || ' ' || coalesce(session_id, '-') FROM sched.scheduled_visits WHERE visit_id = :alice_v),
  't170_alice -', 'the visit is the request''s user''s, with no session_id');
SELECT is((SELECT changed_by FROM sched.status_history WHERE entity = 'visit' AND entity_id = :alice_v),
  't170_customer (customer t170_alice)', 'the history names the role and the customer');
-- the lead score comes from the profile, which the back end keeps
UPDATE sched.user_profiles SET lead_score = 77 WHERE user_id = 't170_alice';
SELECT has_function('sched', 'book_my_visit', ARRAY['text', 'date', 'sched.time_slot', 'text', 'text', 'text', 'text', 'text'],
  'book_my_visit takes no user_id, lead_score or session_id');

-- another customer sees nothing of Alice's and cannot touch it
SET ROLE t170_customer;
SELECT pg_temp.as_user('t170_bob') IS NULL AS ignored \gset
SELECT is((SELECT count(*)::int FROM sched.my_visits) + (SELECT count(*)::int FROM sched.my_callbacks), 0,
  'Bob sees none of Alice''s visits and callbacks');
SELECT is((SELECT count(*)::int FROM sched.my_visits WHERE visit_id = :alice_v), 0, 'not even by her visit''s id');
SELECT throws_ok(format('SELECT * FROM sched.cancel_my_visit(%s)', :alice_v), 'PT404',
  format('visit %s does not exist', :alice_v), 'Bob cannot cancel Alice''s visit (PT404, as a missing one)');
SELECT throws_ok($$SELECT * FROM sched.cancel_my_visit(999999999)$$, 'PT404', 'visit 999999999 does not exist',
  'a missing visit gives the same PT404');
SELECT throws_ok(format('SELECT * FROM sched.reschedule_my_visit(%s, pg_temp.today() + 5, ''evening'')', :alice_v), 'PT404',
  format('visit %s does not exist', :alice_v), 'nor move it');
SELECT is(sched.my_schedule(), '{"visits": [], "callbacks": []}'::jsonb, 'Bob''s schedule is empty');
-- Bob's visit goes to Yamini
RESET ROLE;
UPDATE sched.agents SET handles_visits = (login = 't170-agent-y') WHERE login LIKE 't170-agent-_';
SET ROLE t170_customer;
CREATE TEMP TABLE bob_visit AS
SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 4, 'evening', 'Bob', '9876517002');
SELECT visit_id AS bob_v FROM bob_visit \gset
-- Alice's own cancel and move
SELECT pg_temp.as_user('t170_alice') IS NULL AS ignored \gset
CREATE TEMP TABLE alice_later AS
SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 6, 'afternoon', 'Alice Rao', '9876517001');
SELECT visit_id AS alice_v2 FROM alice_later \gset
SELECT is((SELECT visit_date - pg_temp.today() || ' ' || time_slot FROM sched.reschedule_my_visit(:alice_v2, pg_temp.today() + 7, 'evening')),
  '7 evening', 'Alice moves her own visit');
SELECT is((SELECT status::text FROM sched.cancel_my_visit(:alice_v2, 'plans changed')), 'cancelled',
  'and cancels it');
RESET ROLE;
SELECT is((SELECT lead_score FROM sched.scheduled_visits WHERE visit_id = :alice_v2), 77,
  'a customer''s booking carries the lead score of the user''s profile');
SELECT is((SELECT note FROM sched.status_history WHERE entity = 'visit' AND entity_id = :alice_v2 AND to_status = 'cancelled'),
  'by customer: plans changed', 'the cancel is recorded as the customer''s');

-- ---------------------------------------------------------------------
-- Open-item limits (PT429): per user and per contact phone
-- ---------------------------------------------------------------------
SET ROLE t170_customer;
SELECT pg_temp.as_user('t170_alice') IS NULL AS ignored \gset
SELECT lives_ok($$SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 8, 'morning', 'Alice Rao', '9876517001')$$,
  'a second open visit');
SELECT lives_ok($$SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 9, 'morning', 'Alice Rao', '9876517001')$$,
  'a third (sched.max_open_visits_per_user, 3)');
SELECT throws_ok($$SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 10, 'morning', 'Alice Rao', '9876517009')$$,
  'PT429', 'this user already has 3 open visits, the most sched.max_open_visits_per_user allows',
  'a fourth is refused (PT429), whatever the phone');
SELECT lives_ok(format('SELECT * FROM sched.book_my_visit(''T170 Towers'', pg_temp.today() + 3, ''morning'', ''Alice Rao'', ''9876517001'', idempotency_key => ''alice-key-1'')'),
  'a repeated key is not a new item: it is answered, not refused');
SELECT pg_temp.as_user('t170_carol') IS NULL AS ignored \gset
SELECT throws_ok($$SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 10, 'morning', 'Carol', '+91 98765 17001')$$,
  'PT429', 'this contact_phone already has 3 open visits, the most sched.max_open_visits_per_user allows',
  'another user with the same phone (written differently) is refused too');
SELECT lives_ok($$SELECT * FROM sched.request_my_callback('Carol', '9876517003')$$, 'a first callback');
SELECT lives_ok($$SELECT * FROM sched.request_my_callback('Carol', '9876517003')$$, 'a second');
SELECT throws_ok($$SELECT * FROM sched.request_my_callback('Carol', '9876517004')$$, 'PT429',
  'this user already has 2 callbacks waiting for a call, the most sched.max_open_callbacks_per_user allows',
  'a third callback in the working queue is refused (PT429)');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM sched.callbacks WHERE user_id = 't170_carol'), 2, 'the refused one wrote nothing');
SET LOCAL sched.max_open_callbacks_per_user = 3;
SET ROLE t170_customer;
SELECT lives_ok($$SELECT * FROM sched.request_my_callback('Carol', '9876517004')$$,
  'a superuser''s setting raises the limit');
RESET ROLE;
-- the back end and a DBA are trusted: not limited
SELECT lives_ok($$SELECT * FROM sched.book_site_visit('t170_alice', 'T170 Towers', pg_temp.today() + 11, 'morning', 'Alice Rao', '9876517001')$$,
  'the back end''s book_site_visit is not limited');
-- visits that are over or cancelled are not open
UPDATE sched.scheduled_visits SET status = 'cancelled' WHERE user_id = 't170_alice' AND visit_date > pg_temp.today() + 7;
SET ROLE t170_customer;
SELECT pg_temp.as_user('t170_alice') IS NULL AS ignored \gset
SELECT lives_ok($$SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 12, 'morning', 'Alice Rao', '9876517001')$$,
  'cancelled visits free their places');
RESET ROLE;

-- ---------------------------------------------------------------------
-- Agent calls
-- ---------------------------------------------------------------------
SET ROLE t170_agent;
SELECT pg_temp.as_user(NULL) IS NULL AS ignored \gset
SELECT throws_ok(format('SELECT * FROM sched.set_my_visit_status(%s, ''confirmed'')', :alice_v), '42501', NULL,
  'no user in the request: set_my_visit_status is 42501');
SELECT pg_temp.as_user('t170_alice') IS NULL AS ignored \gset
SELECT throws_ok(format('SELECT * FROM sched.set_my_visit_status(%s, ''confirmed'')', :alice_v), '42501',
  'the user of the request is not an active agent', 'a customer''s token is no agent (42501)');
SELECT pg_temp.as_user('t170-agent-x') IS NULL AS ignored \gset
SELECT is((SELECT count(*)::int FROM sched.my_assignments WHERE entity = 'visit' AND id = :alice_v), 1,
  'Xavier sees Alice''s visit, which is his');
CREATE TEMP TABLE x_items AS SELECT entity::text AS entity, id FROM sched.my_assignments;
RESET ROLE;
SELECT set_eq($$SELECT entity, id FROM x_items$$,
  format($$SELECT 'visit', visit_id FROM sched.scheduled_visits WHERE agent_id = %s
           UNION ALL SELECT 'callback', callback_id FROM sched.callbacks WHERE agent_id = %s$$, :ax, :ax),
  'my_assignments has all of his own items and nothing else');
SET ROLE t170_agent;
SELECT is((SELECT status || ' ' || agent_notes FROM sched.set_my_visit_status(:alice_v, 'confirmed', 'call on arrival')),
  'confirmed call on arrival', 'Xavier confirms his own visit');
SELECT is((SELECT status FROM sched.set_my_callback_status(:alice_c, 'contacted', 'sent the price list', 240, 'interested')),
  'contacted', 'and moves his own callback');
SELECT throws_ok(format('SELECT * FROM sched.set_my_visit_status(%s, ''completed'')', :bob_v), 'PT404',
  format('visit %s does not exist', :bob_v), 'another agent''s visit is PT404, as a missing one');
SELECT throws_ok(format('SELECT * FROM sched.set_my_visit_status(%s, ''pending'')', :alice_v), 'PT409', NULL,
  'the workflow holds for agents too (PT409)');
RESET ROLE;
SELECT is((SELECT changed_by FROM sched.status_history WHERE entity = 'visit' AND entity_id = :alice_v AND to_status = 'confirmed'),
  format('t170_agent (agent %s)', :ax), 'status_history names the agent');
UPDATE sched.agents SET active = false WHERE agent_id = :ax;
SET ROLE t170_agent;
SELECT pg_temp.as_user('t170-agent-x') IS NULL AS ignored \gset
SELECT throws_ok(format('SELECT * FROM sched.set_my_visit_status(%s, ''completed'')', :alice_v), '42501', NULL,
  'an inactive agent has no agent calls');
SELECT is((SELECT count(*)::int FROM sched.my_assignments), 0, 'and sees nothing');
RESET ROLE;

-- ---------------------------------------------------------------------
-- Bad input to the customers' and agents' calls: the documented SQLSTATE,
-- nothing written
-- ---------------------------------------------------------------------
SELECT pg_temp.written_rows() AS before_bad \gset
SET ROLE t170_customer;
SELECT pg_temp.as_user('t170_erin') IS NULL AS ignored \gset
SELECT throws_ok($$SELECT * FROM sched.book_my_visit(NULL, pg_temp.today() + 3, 'morning', 'Erin', '9876517008')$$,
  '22004', 'project must not be null', 'book_my_visit: a NULL project is 22004');
SELECT throws_ok($$SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 3, 'morning', repeat('x', 101), '9876517008')$$,
  '22023', 'contact_name is too long', 'an over-long name is 22023');
SELECT throws_ok($$SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 3, 'morning', 'Erin', 'not a phone')$$,
  '22023', 'contact_phone is not a plausible phone number', 'a bad phone is 22023');
SELECT throws_ok($$SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() - 1, 'morning', 'Erin', '9876517008')$$,
  '22023', 'visit_date must not be in the past', 'a past date is 22023');
SELECT throws_ok($$SELECT * FROM sched.request_my_callback(NULL, '9876517008')$$,
  '22004', 'contact_name must not be null', 'request_my_callback: a NULL name is 22004');
SELECT throws_ok($$SELECT * FROM sched.request_my_callback('Erin', '9876517008', repeat('r', 501))$$,
  '22023', 'reason is too long', 'an over-long reason is 22023');
SELECT throws_ok($$SELECT * FROM sched.cancel_my_visit(NULL)$$, '22004', 'visit_id must not be null',
  'cancel_my_visit: a NULL visit_id is 22004');
SELECT throws_ok($$SELECT * FROM sched.reschedule_my_visit(NULL, pg_temp.today() + 4, 'morning')$$, '22004',
  'visit_id must not be null', 'reschedule_my_visit: a NULL visit_id is 22004');
SELECT set_config('request.jwt.claims', json_build_object('sub', repeat('u', 201))::text, true) IS NULL AS ignored \gset
SELECT throws_ok($$SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 3, 'morning', 'Erin', '9876517008')$$,
  '22023', 'user_id is too long', 'a token whose user is over 200 characters is 22023');
RESET ROLE;
SET ROLE t170_agent;
SELECT pg_temp.as_user('t170-agent-y') IS NULL AS ignored \gset
SELECT throws_ok($$SELECT * FROM sched.set_my_visit_status(NULL, 'confirmed')$$, '22004', 'visit_id must not be null',
  'set_my_visit_status: a NULL visit_id is 22004');
SELECT throws_ok($$SELECT * FROM sched.set_my_callback_status(NULL, 'contacted')$$, '22004', 'callback_id must not be null',
  'set_my_callback_status: a NULL callback_id is 22004');
RESET ROLE;
SELECT is(pg_temp.written_rows(), :'before_bad', 'none of the refused calls wrote anything');

-- ---------------------------------------------------------------------
-- No links or markup in what goes into the customer's messages, on every
-- path (22023); nothing is written
-- ---------------------------------------------------------------------
SELECT pg_temp.written_rows() AS before_links \gset
SET ROLE t170_customer;
SELECT pg_temp.as_user('t170_dave') IS NULL AS ignored \gset
SELECT throws_ok($$SELECT * FROM sched.book_my_visit('T170 Towers', pg_temp.today() + 3, 'morning', 'Win a flat: http://x.io', '9876517005')$$,
  '22023', 'contact_name must not contain a link or markup', 'a customer''s contact_name with a link is refused (22023)');
SELECT throws_ok($$SELECT * FROM sched.book_my_visit('Visit www.evil.example', pg_temp.today() + 3, 'morning', 'Dave', '9876517005')$$,
  '22023', 'project must not contain a link or markup', 'so is a project with one');
SELECT throws_ok($$SELECT * FROM sched.request_my_callback('<b>Dave</b>', '9876517005')$$,
  '22023', 'contact_name must not contain a link or markup', 'markup too, for callbacks');
RESET ROLE;
SELECT throws_ok($$SELECT * FROM sched.book_site_visit('t170_dave', 'T170 Towers', pg_temp.today() + 3, 'morning', 'HTTPS://evil', '9876517005')$$,
  '22023', 'contact_name must not contain a link or markup', 'the back end''s call is held to it too');
SELECT throws_ok($$INSERT INTO sched.callbacks (user_id, contact_name, contact_phone) VALUES ('t170_dave', 'a://b', '9876517005')$$,
  '22023', 'contact_name must not contain a link or markup', 'and a DBA''s INSERT');
SELECT throws_ok(format('UPDATE sched.scheduled_visits SET contact_name = ''see www.x.io'' WHERE visit_id = %s', :alice_v),
  '22023', 'contact_name must not contain a link or markup', 'and a DBA''s UPDATE of the name');
SELECT is(pg_temp.written_rows(), :'before_links', 'none of them wrote anything');
SELECT lives_ok(format('UPDATE sched.scheduled_visits SET contact_name = ''Alice R. Rao-Menon'' WHERE visit_id = %s', :alice_v),
  'an ordinary name passes');

-- ---------------------------------------------------------------------
-- revoke_calls takes it all back
-- ---------------------------------------------------------------------
SELECT sched.revoke_calls('t170_customer') IS NULL AS ignored \gset
SELECT sched.revoke_calls('t170_agent') IS NULL AS ignored \gset
SELECT ok(NOT has_table_privilege('t170_customer', 'sched.my_visits', 'SELECT')
          AND NOT has_function_privilege('t170_customer', 'sched.book_my_visit(text,date,sched.time_slot,text,text,text,text,text)', 'EXECUTE')
          AND NOT has_table_privilege('t170_agent', 'sched.my_assignments', 'SELECT')
          AND NOT has_function_privilege('t170_agent', 'sched.set_my_visit_status(bigint,sched.visit_status,text)', 'EXECUTE'),
  'revoke_calls takes back the customer''s and the agent''s grants');

SELECT * FROM finish();
ROLLBACK;
