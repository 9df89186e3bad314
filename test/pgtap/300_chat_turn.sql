-- pgTAP: a chat turn in one call (1.4).  sched.chat_turn (the customer's
-- own, the request's user) and sched.chat_turn_for (the back end's): the
-- seed's flow kept in sched.chat_sessions, one message at a time: a nudge,
-- the scheduling prompt, the details merged from each reply and only the
-- missing ones asked for, a confirmation question, "yes" books through
-- book_my_visit's rules and answers with the confirmation text; a full
-- slot answers with the nearest free ones; the same message id twice
-- gives the first answer and changes nothing; "cancel" and "reschedule"
-- act on the customer's next visit.  Dates are written as "18 Jan" from
-- the business's today, far enough ahead for any hour.
BEGIN;
SELECT plan(60);
\ir include/clock.sql

SET LOCAL sched.business_hours = '00:00-24:00';
UPDATE sched.agents SET active = false;
UPDATE sched.projects SET active = false;
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('T300 Priya', '9876530001', 1);
INSERT INTO sched.projects (project) VALUES ('T300 Towers'), ('T300 Gardens')
  ON CONFLICT (project) DO UPDATE SET active = true;
CREATE ROLE t300_customer NOLOGIN;
CREATE ROLE t300_backend NOLOGIN;
SELECT sched.grant_customer_calls('t300_customer') IS NULL AS g \gset
SELECT sched.grant_user_calls('t300_backend') IS NULL AS g \gset
SELECT to_char(pg_temp.today() + 5, 'FMDD Mon') AS d5, pg_temp.today() + 5 AS date5,
       to_char(pg_temp.today() + 6, 'FMDD Mon') AS d6, pg_temp.today() + 6 AS date6 \gset

CREATE FUNCTION pg_temp.say(user_id text, message_id text, message text, project text DEFAULT NULL,
                            contact_phone text DEFAULT NULL)
RETURNS TABLE (reply text, state text, visit_id bigint, callback_id bigint) LANGUAGE sql AS $$
  SELECT * FROM sched.chat_turn_for(user_id, 'whatsapp', message_id, message, project, contact_phone)
$$;
CREATE FUNCTION pg_temp.remembers(uid text) RETURNS jsonb LANGUAGE sql AS $$
  SELECT details FROM sched.chat_sessions WHERE user_id = uid
$$;

-- ---------------------------------------------------------------------
-- A visit booked over five messages
-- ---------------------------------------------------------------------
SELECT results_eq($$SELECT state, reply ~ 'Would you like to visit the site\?' FROM pg_temp.say('t300_a', 'a1', 'Hi, what is the price of a 3 BHK?')$$,
  $$VALUES ('idle', true)$$, 'a message that asks for nothing gets a nudge to visit');
SELECT results_eq($$SELECT state, reply ~ 'Let''s schedule your site visit' AND reply ~ 'which project' AND reply ~ 'T300 Gardens, T300 Towers'
                    FROM pg_temp.say('t300_a', 'a2', 'yes')$$,
  $$VALUES ('collecting', true)$$, '"yes" to the nudge: the scheduling prompt, asking for the project among the active ones');
SELECT is((SELECT reply FROM pg_temp.say('t300_a', 'a3', 'my name is Asha Rao')),
  'Thanks! I still need the project you would like to see, your phone number, the date and the time (morning 9-12, afternoon 12-3 or evening 3-6). Our projects: T300 Gardens, T300 Towers.',
  'each answer names only what is still missing');
SELECT is((SELECT reply FROM pg_temp.say('t300_a', 'a4', 'T300 Towers please, 98765 43210')),
  'Thanks! I still need the date and the time (morning 9-12, afternoon 12-3 or evening 3-6).',
  'a project named in the message is taken, and the phone');
SELECT results_eq(format($$SELECT state, reply ~ '^Shall I book a site visit to T300 Towers on .* for Asha Rao \(\+919876543210\)\? Reply YES'
                          FROM pg_temp.say('t300_a', 'a5', '%s morning')$$, :'d5'),
  $$VALUES ('confirming', true)$$, 'all known: the confirmation question');
SELECT is(pg_temp.remembers('t300_a'),
  jsonb_build_object('name', 'Asha Rao', 'phone', '+919876543210', 'visit_date', :'date5', 'time_slot', 'morning'),
  'the session holds the details collected');
SELECT results_eq($$SELECT state, visit_id IS NOT NULL FROM pg_temp.say('t300_a', 'a6', 'Yes please')$$,
  $$VALUES ('booked', true)$$, '"yes" books');
SELECT v.visit_id AS va, v.ref AS ref_a FROM sched.scheduled_visits v WHERE v.user_id = 't300_a' \gset
SELECT results_eq(format('SELECT project, visit_date, time_slot::text, contact_name, contact_phone, idempotency_key FROM sched.scheduled_visits WHERE visit_id = %s', :va),
  format($$VALUES ('T300 Towers', %L::date, 'morning', 'Asha Rao', '+919876543210', 'a6')$$, :'date5'),
  'the visit has the details, and the message id as its idempotency key');
SELECT is((SELECT reply FROM sched.chat_sessions s, jsonb_array_elements(s.recent) r(e), LATERAL (SELECT r.e->>'reply' AS reply) x
            WHERE s.user_id = 't300_a' AND r.e->>'message_id' = 'a6'),
  (SELECT (sched.render_message(job_id)).body FROM sched.outbox WHERE entity = 'visit' AND entity_id = :va AND template = 'visit_booked' AND channel = 'sms'),
  'the answer is the confirmation text the customer''s SMS carries');
SELECT ok((SELECT reply FROM sched.chat_sessions s, jsonb_array_elements(s.recent) r(e), LATERAL (SELECT r.e->>'reply' AS reply) x
            WHERE s.user_id = 't300_a' AND r.e->>'message_id' = 'a6') ~ ('Ref ' || :'ref_a'), 'naming the ref');
SELECT results_eq($$SELECT state FROM sched.chat_sessions WHERE user_id = 't300_a'$$, $$VALUES ('idle')$$,
  'the conversation starts over');
SELECT is(pg_temp.remembers('t300_a'), jsonb_build_object('name', 'Asha Rao', 'phone', '+919876543210'),
  'keeping the customer''s name and phone');

-- the same message id again: the first answer, nothing changes
SELECT count(*) AS visits_before FROM sched.scheduled_visits \gset
SELECT results_eq($$SELECT state, visit_id FROM pg_temp.say('t300_a', 'a6', 'Yes please')$$,
  format($$VALUES ('booked', %s::bigint)$$, :va), 'WhatsApp delivering "yes" again gets the first answer');
SELECT results_eq($$SELECT state, visit_id FROM pg_temp.say('t300_a', 'a3', 'my name is Someone Else')$$,
  $$VALUES ('collecting', NULL::bigint)$$, 'any earlier message id too');
SELECT is((SELECT count(*) FROM sched.scheduled_visits), :visits_before::bigint, 'and no visit is added');
SELECT is(pg_temp.remembers('t300_a')->>'name', 'Asha Rao', 'nor the memory changed');

-- ---------------------------------------------------------------------
-- A full slot: the nearest free ones
-- ---------------------------------------------------------------------
SELECT results_eq(format($$SELECT state FROM pg_temp.say('t300_b', 'b1', 'I want to visit T300 Towers on %s morning, my name is Ravi Kumar, 9876543211')$$, :'d5'),
  $$VALUES ('confirming')$$, 'one message with everything: straight to the question');
SELECT results_eq($$SELECT state, visit_id IS NULL, reply ~ '^Sorry, I could not do that: no agent has room' AND reply ~ 'The nearest free slots: '
                    FROM pg_temp.say('t300_b', 'b2', 'ok')$$,
  $$VALUES ('collecting', true, true)$$, 'the one agent is full then: the refusal and the nearest free slots');
SELECT ok((SELECT r.e->>'reply' FROM sched.chat_sessions s, jsonb_array_elements(s.recent) r(e)
            WHERE s.user_id = 't300_b' AND r.e->>'message_id' = 'b2')
          ~ (split_part(sched.slot_label(:'date5', 'afternoon'), ' IST', 1)), 'the same day''s afternoon first among them');
SELECT is(pg_temp.remembers('t300_b') ? 'visit_date', false, 'the date and slot are asked for again');
SELECT results_eq(format($$SELECT state FROM pg_temp.say('t300_b', 'b3', '%s afternoon')$$, :'d5'),
  $$VALUES ('confirming')$$, 'another slot');
SELECT results_eq($$SELECT state, visit_id IS NOT NULL FROM pg_temp.say('t300_b', 'b4', 'haan ji')$$,
  $$VALUES ('booked', true)$$, '"haan ji" books it');

-- ---------------------------------------------------------------------
-- Reschedule and cancel the customer's next visit
-- ---------------------------------------------------------------------
SELECT results_eq($$SELECT state FROM pg_temp.say('t300_a', 'a7', 'can I reschedule?')$$,
  $$VALUES ('rescheduling')$$, '"reschedule" asks for the new date and slot');
SELECT results_eq(format($$SELECT state, reply ~ ('Move your site visit to T300 Towers \(ref ' || %L || '\)') FROM pg_temp.say('t300_a', 'a8', '%s evening')$$, :'ref_a', :'d6'),
  $$VALUES ('confirming_move', true)$$, 'and confirms the move');
SELECT results_eq($$SELECT state, visit_id FROM pg_temp.say('t300_a', 'a9', 'yes')$$,
  format($$VALUES ('rescheduled', %s::bigint)$$, :va), '"yes" moves it');
SELECT results_eq(format('SELECT visit_date, time_slot::text FROM sched.scheduled_visits WHERE visit_id = %s', :va),
  format($$VALUES (%L::date, 'evening')$$, :'date6'), 'to the new date and slot');
SELECT results_eq($$SELECT state, reply ~ 'Reply YES to cancel' FROM pg_temp.say('t300_a', 'a10', 'please cancel my visit')$$,
  $$VALUES ('cancelling', true)$$, '"cancel" asks first');
SELECT results_eq($$SELECT state, reply FROM pg_temp.say('t300_a', 'a11', 'no')$$,
  $$VALUES ('idle', 'OK, your visit stays as it is.')$$, '"no" keeps it');
SELECT results_eq($$SELECT state FROM pg_temp.say('t300_a', 'a12', 'cancel')$$, $$VALUES ('cancelling')$$, 'asked again');
-- meanwhile the admin moves the visit to a date of its own, and books an earlier one for her
SELECT visit_id AS va_earlier FROM sched.book_site_visit('t300_a', 'T300 Towers', pg_temp.today() + 2, 'evening', 'Asha Rao', '9876543210') \gset
SELECT results_eq($$SELECT state, visit_id IS NULL, reply ~ 'changed since I asked' FROM pg_temp.say('t300_a', 'a12b', 'yes')$$,
  $$VALUES ('idle', true, true)$$, '"yes" is not taken for a visit other than the one the question named');
SELECT status AS st FROM sched.cancel_visit(:va_earlier) \gset
SELECT results_eq($$SELECT state FROM pg_temp.say('t300_a', 'a12c', 'cancel')$$, $$VALUES ('cancelling')$$, 'asked once more');
SELECT results_eq($$SELECT state, visit_id FROM pg_temp.say('t300_a', 'a13', 'yes')$$,
  format($$VALUES ('cancelled', %s::bigint)$$, :va), '"yes" cancels it');
SELECT results_eq(format($$SELECT status::text, (SELECT note FROM sched.status_history WHERE entity = 'visit' AND entity_id = %s ORDER BY history_id DESC LIMIT 1)
                           FROM sched.scheduled_visits WHERE visit_id = %s$$, :va, :va),
  $$VALUES ('cancelled', 'by customer: in chat')$$, 'as the customer''s own cancel');
SELECT results_eq($$SELECT state, reply ~ 'no upcoming site visit' FROM pg_temp.say('t300_a', 'a14', 'cancel')$$,
  $$VALUES ('idle', true)$$, 'nothing left to cancel');

-- ---------------------------------------------------------------------
-- A callback; the project and phone the app knows
-- ---------------------------------------------------------------------
SELECT results_eq($$SELECT state FROM pg_temp.say('t300_c', 'c1', 'please call me back', NULL, '+91 98765 00011')$$,
  $$VALUES ('collecting')$$, 'a callback request; the phone the app knows is taken');
SELECT results_eq($$SELECT state, reply FROM pg_temp.say('t300_c', 'c2', 'my name is Neha Joshi')$$,
  $$VALUES ('confirming', 'Shall I ask our team to call Neha Joshi on +919876500011? Reply YES to confirm, or tell me what to change.')$$,
  'a callback needs only the name and phone');
SELECT results_eq($$SELECT state, callback_id IS NOT NULL FROM pg_temp.say('t300_c', 'c3', 'ok')$$,
  $$VALUES ('callback_requested', true)$$, 'and is requested');
SELECT results_eq($$SELECT state, reply ~ 'which project' FROM pg_temp.say('t300_d', 'd1', 'I want a site visit', 'T300 Gardens')$$,
  $$VALUES ('collecting', false)$$, 'the project the app passes is not asked for');
SELECT results_eq(format($$SELECT state FROM pg_temp.say('t300_d', 'd2', 'my name is Dev Rao, 9876500021, %s evening', 'T300 Gardens')$$, :'d6'),
  $$VALUES ('confirming')$$, 'all known');
SELECT results_eq($$SELECT state, reply ~ 'T300 Towers' FROM pg_temp.say('t300_d', 'd3', 'yes', 'T300 Towers')$$,
  $$VALUES ('confirming', true)$$, 'a "yes" sent from another listing asks again, naming the new project');
UPDATE sched.projects SET active = false WHERE project = 'T300 Towers';
SELECT results_eq($$SELECT state, reply ~ 'the project you would like to see' FROM pg_temp.say('t300_d', 'd4', 'yes')$$,
  $$VALUES ('collecting', true)$$, 'a project that stopped taking bookings is asked for again, not booked');
UPDATE sched.projects SET active = true WHERE project = 'T300 Towers';

-- ---------------------------------------------------------------------
-- The customer's own call; memory, expiry, erasure, errors
-- ---------------------------------------------------------------------
SET LOCAL ROLE t300_customer;
SELECT set_config('request.jwt.claims', '{"sub": "t300_e"}', true) IS NOT NULL AS c \gset
SELECT results_eq($$SELECT state FROM sched.chat_turn('sms', 'e1', 'I would like to visit the site') c$$,
  $$VALUES ('collecting')$$, 'chat_turn: the request''s user');
SELECT throws_ok($$SELECT * FROM sched.chat_turn_for('t300_x', 'sms', 'e2', 'hi')$$, '42501', NULL,
  'a customer cannot chat as another user');
SELECT set_config('request.jwt.claims', '{"role": "t300_customer"}', true) IS NOT NULL AS c \gset
SELECT throws_ok($$SELECT * FROM sched.chat_turn('sms', 'e3', 'hi')$$, '42501', NULL, 'no user in the request: 42501');
RESET ROLE;
SELECT results_eq($$SELECT intent, channel::text, whatsapp_inbound_at IS NULL FROM sched.chat_sessions WHERE user_id = 't300_e'$$,
  $$VALUES ('site_visit', 'sms', true)$$, 'the session keeps the intent and channel; an SMS is no WhatsApp message');
SELECT ok((SELECT whatsapp_inbound_at IS NOT NULL FROM sched.chat_sessions WHERE user_id = 't300_a'),
  'a WhatsApp message opens the customer service window');
UPDATE sched.chat_sessions SET updated_at = now() - interval '25 hours' WHERE user_id = 't300_e';
SELECT results_eq($$SELECT state FROM sched.chat_turn_for('t300_e', 'sms', 'e4', 'my name is Late Reply')$$,
  $$VALUES ('idle')$$, 'after sched.chat_session_ttl the conversation is forgotten');
SELECT throws_ok($$SELECT * FROM sched.chat_turn_for('t300_f', 'sms', NULL, 'hi')$$, '22004', NULL, 'message_id is required');
SELECT throws_ok($$SELECT * FROM sched.chat_turn_for('t300_f', 'agent', 'f0', 'hi')$$, '22023', 'channel must be whatsapp, sms or email',
  'a chat is on a customer''s channel');
SELECT throws_ok($$SELECT * FROM sched.chat_turn_for('t300_f', 'sms', 'f1', 'hi', contact_phone => '12')$$, '22023', NULL,
  'a contact_phone that is no phone number');
SELECT sched.erase_user('t300_a') IS NOT NULL AS erased \gset
SELECT is((SELECT count(*)::int FROM sched.chat_sessions WHERE user_id = 't300_a'), 0, 'erase_user deletes the chat');

-- bad input writes nothing: no session is opened
SELECT count(*) AS sessions_before FROM sched.chat_sessions \gset
SELECT throws_ok($$SELECT * FROM sched.chat_turn_for(NULL, 'sms', 'g1', 'hi')$$, '22004', NULL, 'user_id is required');
SELECT throws_ok($$SELECT * FROM sched.chat_turn_for('t300_g', NULL, 'g1', 'hi')$$, '22004', NULL, 'channel is required');
SELECT throws_ok($$SELECT * FROM sched.chat_turn_for('t300_g', 'sms', 'g1', NULL)$$, '22004', NULL, 'message is required');
SELECT throws_ok($$SELECT * FROM sched.chat_turn_for(repeat('u', 201), 'sms', 'g1', 'hi')$$, '22023', NULL, 'a user_id over 200 characters');
SELECT throws_ok($$SELECT * FROM sched.chat_turn_for('t300_g', 'sms', repeat('m', 201), 'hi')$$, '22023', NULL, 'a message_id over 200 characters');
SELECT throws_ok($$SELECT * FROM sched.chat_turn_for('t300_g', 'sms', 'g1', 'hi', repeat('p', 201))$$, '22023', NULL, 'a project over 200 characters');
SELECT throws_ok($$SELECT * FROM sched.chat_turn_for('t300_g', 'sms', E'g\x01', 'hi')$$, '22023', NULL, 'a message_id with a control character');
SELECT is((SELECT count(*) FROM sched.chat_sessions), :sessions_before::bigint, 'none of them opened a session');
SELECT is((SELECT state FROM sched.chat_turn_for('t300_g', 'sms', 'g2', repeat('नमस्ते ', 3000))), 'idle',
  'a message of 24,000 bytes is read up to its limit, cut between characters');

SELECT * FROM finish();
ROLLBACK;
