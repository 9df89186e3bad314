-- The seed's story, told through sched's SQL calls (run by demo/run.sh).
\set QUIET on
\set SHOW_CONTEXT never
\pset footer off
SET client_min_messages = warning;
SET TimeZone = 'Asia/Kolkata';
-- By default a booking writes the reminders due within 2 days and the
-- worker's claims write the others as they come within 2 days; this
-- session writes them with the booking, so the story can show them.
SET sched.reminder_horizon = '30 days';
CREATE EXTENSION sched;

\echo
\echo '=== The sales team: three relationship managers (a DBA adds them with INSERT) ==='
INSERT INTO sched.agents (name, phone, email, is_senior, slot_capacity) VALUES
  ('Rajesh Kumar', '+91 98765 43212', 'rajesh@brigade.example', true, 2),
  ('Priya Sharma', '98765 43211', 'priya@brigade.example', false, 2),
  ('Amit Patel', '098765 43213', 'amit@brigade.example', false, 2);
SELECT agent_id, name, phone AS "phone (normalised)", CASE WHEN is_senior THEN 'senior' ELSE '' END AS seniority,
       slot_capacity AS "visits per slot"
  FROM sched.agents ORDER BY agent_id;

-- The notification worker listens on channel "sched".
LISTEN sched;

\echo '=== Turn 1 ==='
\echo 'User: "I''d like to visit Brigade Citrine"'
\echo 'Chat: SELECT sched.detect_intent(message), then sched.scheduling_prompt(intent)'
SELECT sched.detect_intent('I''d like to visit Brigade Citrine') AS intent \gset
\pset tuples_only on
\pset format unaligned
SELECT 'Bot:  ' || replace(sched.scheduling_prompt(:'intent'), E'\n', E'\n      ');
\pset tuples_only off
\pset format aligned
\echo
\echo '=== Turn 2 ==='
\echo 'User: "My name is John Doe, phone +91 98765 43210, I''m free this Saturday morning"'
\echo 'Chat: SELECT sched.parse_contact_details(message) finds:'
SELECT key, value FROM jsonb_each_text(sched.parse_contact_details(
  'My name is John Doe, phone +91 98765 43210, I''m free this Saturday morning')) ORDER BY key;
SELECT d->>'visit_date' AS saturday, d->>'name' AS parsed_name, d->>'phone' AS parsed_phone, d->>'time_slot' AS parsed_slot
  FROM sched.parse_contact_details('My name is John Doe, phone +91 98765 43210, I''m free this Saturday morning') d \gset
\echo 'A DBA had noted that Priya is away on Saturday morning (INSERT INTO sched.agent_time_off).'
INSERT INTO sched.agent_time_off (agent_id, starts_at, ends_at, reason)
SELECT a.agent_id, b.starts_at, b.ends_at, 'training'
  FROM sched.agents a, sched.slot_bounds(:'saturday', 'morning') b WHERE a.name = 'Priya Sharma';
\echo 'Chat: SELECT * FROM sched.available_slots(''Brigade Citrine'', date_from => Saturday, days => 1): what can be offered'
SELECT time_slot, to_char(starts_at, 'HH24:MI') || '-' || to_char(ends_at, 'HH24:MI') AS "local time", free
  FROM sched.available_slots('Brigade Citrine', :'saturday', 1);
\echo '(morning: Rajesh and Amit have 2 places each; Priya is away)'
\echo 'App:  SELECT * FROM sched.book_site_visit(user_id => ''user_john'', project => ''Brigade Citrine'', ...) with what was found'
SELECT v.visit_id, v.ref, a.name AS rm_name, a.phone AS rm_phone,
       to_char(v.visit_date, 'FMDay, FMMonth FMDD, YYYY') AS visit_day, v.time_slot
  FROM sched.book_site_visit(
         user_id => 'user_john', project => 'Brigade Citrine', visit_date => :'saturday',
         time_slot => :'parsed_slot', contact_name => :'parsed_name', contact_phone => :'parsed_phone',
         contact_email => 'john.doe@example.com', notes => 'Interested in 3BHK',
         session_id => 'chat-42', lead_score => 72, idempotency_key => 'chat-42-visit') v
  JOIN sched.agents a USING (agent_id) \gset
\pset tuples_only on
\pset format unaligned
SELECT format(E'\nBot:  Site visit scheduled!\n'
              '      Booking:   %s\n'
              '      Date:      %s\n'
              '      Time:      9:00 AM - 12:00 PM (%s)\n'
              '      Property:  Brigade Citrine\n'
              '      Your Relationship Manager: %s, %s\n'
              '      We''ll send you a reminder 1 day before your visit!\n',
              :'ref', :'visit_day', :'time_slot', :'rm_name', :'rm_phone');
\pset tuples_only off
\pset format aligned
\echo 'The chat app retried the same request (same idempotency key): the same booking comes back, nothing is booked twice.'
SELECT ref AS "retry returns", (SELECT count(*) FROM sched.scheduled_visits) AS "visits in the table"
  FROM sched.book_site_visit('user_john', 'Brigade Citrine', :'saturday', 'morning', 'John Doe',
                             '+91 98765 43210', idempotency_key => 'chat-42-visit');

\echo 'User: "Can someone call me about the price? It''s fairly urgent."'
SELECT c.ref, c.urgency, a.name AS agent,
       'within ' || (extract(epoch FROM c.due_at - c.created_at) / 60)::int || ' minutes' AS "expected callback"
  FROM sched.request_callback(user_id => 'user_john', contact_name => 'John Doe',
         contact_phone => '+91 98765 43210', reason => 'Price negotiation', urgency => 'high') c
  JOIN sched.agents a USING (agent_id);

\echo 'The user''s profile (used in lead scoring): a visit adds 3 intent points, a callback 2.'
SELECT user_id, site_visits_scheduled, callbacks_requested, intent_points, lead_score FROM sched.user_profiles;

\echo '=== Turn 3: the RM''s admin screen ==='
\echo 'RM:   SELECT * FROM sched.list_visits(status => ''pending'')'
SELECT ref, contact_name, contact_phone, project, to_char(visit_date, 'Dy DD Mon') AS date, time_slot, status
  FROM sched.list_visits(status => 'pending');
\echo 'RM calls John, then: SELECT * FROM sched.set_visit_status(1, ''confirmed'', ''Confirmed with user, will bring spouse'')'
SELECT ref, status, rm_notes, to_char(confirmed_at, 'HH24:MI:SS') AS confirmed_at
  FROM sched.set_visit_status(:visit_id, 'confirmed', 'Confirmed with user, will bring spouse');

\echo 'A mistaken click tries to move the confirmed visit back to pending; the database refuses (SQLSTATE PT409, HTTP 409 through PostgREST):'
\set ON_ERROR_STOP off
\set VERBOSITY default
SELECT * FROM sched.set_visit_status(:visit_id, 'pending');
\set ON_ERROR_STOP on
\echo

\echo '=== What the notification worker finds in the outbox (written in the same transactions) ==='
\echo 'Each job''s text comes from SELECT * FROM sched.render_message(job_id); reminders wait for their run_at.'
\echo '(Reminders more than sched.reminder_horizon ahead, 2 days by default, are written by the worker''s claims; this session sets 30 days.)'
SELECT o.job_id, o.channel, o.recipient, o.template,
       CASE WHEN o.run_at > now() THEN to_char(o.run_at, 'Dy DD Mon HH24:MI') ELSE 'now' END AS due,
       coalesce(m.subject || ' | ', '') || left(replace(m.body, E'\n', ' '), 110) AS message
  FROM sched.outbox o, LATERAL sched.render_message(o.job_id) m ORDER BY o.job_id;

\echo '=== The reference worker (worker/sched_worker.py) claims the due jobs, sends them and completes them ==='
\echo 'It sends to a local SMTP server and a local HTTP receiver standing in for the SMS gateway (demo/send.sh):'
\! demo/send.sh
SELECT state, count(*) AS jobs, string_agg(DISTINCT template, ', ') AS templates
  FROM sched.outbox GROUP BY state ORDER BY state;
\echo 'The reminders stay pending until a day and an hour before the slot; the worker wakes on NOTIFY and every minute.'
\echo

\echo '=== The audit trail (sched.status_history) ==='
SELECT entity, entity_id AS id, coalesce(from_status, '(new)') AS "from", to_status AS "to",
       changed_by, coalesce(note, '') AS note
  FROM sched.status_history ORDER BY history_id;

\echo '=== Round robin: six more bookings for one evening go Priya, Amit, Rajesh, Priya, Amit, Rajesh ==='
SELECT v.ref, a.name AS relationship_manager
  FROM generate_series(1, 6) AS i,
       LATERAL sched.book_site_visit('user_' || i, 'Brigade Citrine', current_date + 2, 'evening',
                                     'Customer ' || i, '98765432' || lpad(i::text, 2, '0')) v
  JOIN sched.agents a USING (agent_id)
 ORDER BY v.visit_id;
\echo 'Every RM now has 2 visits that evening (their slot_capacity); a seventh booking is refused (PT409, HTTP 409):'
\set ON_ERROR_STOP off
SELECT * FROM sched.book_site_visit('user_7', 'Brigade Citrine', current_date + 2, 'evening', 'Customer 7', '9876543207');
\set ON_ERROR_STOP on
\echo

\echo '=== John''s schedule, as his app reads it: SELECT sched.user_schedule(''user_john'') ==='
SELECT jsonb_pretty(jsonb_build_object(
         'visits', (SELECT jsonb_agg(jsonb_build_object('ref', v->'ref', 'status', v->'status',
                                                        'visit_date', v->'visit_date', 'time_slot', v->'time_slot'))
                      FROM jsonb_array_elements(s->'visits') v),
         'callbacks', (SELECT jsonb_agg(jsonb_build_object('ref', c->'ref', 'status', c->'status',
                                                           'urgency', c->'urgency', 'due_at', c->'due_at'))
                         FROM jsonb_array_elements(s->'callbacks') c))) AS "user_schedule (some keys)"
  FROM sched.user_schedule('user_john') s;

\echo '=== A customer with her own token (1.3): PostgREST runs each request as the token''s role, with its claims ==='
\echo 'A DBA, once: CREATE ROLE web_customer NOLOGIN; SELECT sched.grant_customer_calls(''web_customer'')'
CREATE ROLE web_customer NOLOGIN;
SELECT sched.grant_customer_calls('web_customer') \gset
\echo 'Asha''s request (token {"sub": "user_asha", "role": "web_customer"}): POST /rpc/book_my_visit, no user_id in it'
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "user_asha", "role": "web_customer"}', true) \gset
SET LOCAL ROLE web_customer;
SELECT ref, project, to_char(visit_date, 'Dy DD Mon') AS visit_date, time_slot, agent_name AS relationship_manager, status
  FROM sched.book_my_visit(project => 'Brigade Citrine', visit_date => current_date + 4, time_slot => 'afternoon',
                           contact_name => 'Asha Menon', contact_phone => '98765 43230');
COMMIT;
\echo 'Asha reads her schedule: GET /my_visits (only her rows, no team-only columns)'
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "user_asha", "role": "web_customer"}', true) \gset
SET LOCAL ROLE web_customer;
SELECT visit_id AS asha_visit, ref, status, agent_name, agent_phone FROM sched.my_visits \gset
SELECT ref, status, agent_name, agent_phone FROM sched.my_visits;
COMMIT;
\echo 'Ravi''s token (sub user_ravi) sees none of it, and cannot cancel it: the same 404 as for a visit that does not exist'
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "user_ravi", "role": "web_customer"}', true) \gset
SET LOCAL ROLE web_customer;
SELECT count(*) AS "visits Ravi sees" FROM sched.my_visits;
\set ON_ERROR_STOP off
SELECT * FROM sched.cancel_my_visit(:asha_visit);
\set ON_ERROR_STOP on
ROLLBACK;
\echo 'And a request without a token''s user is refused (42501, HTTP 401/403):'
BEGIN;
SET LOCAL ROLE web_customer;
\set ON_ERROR_STOP off
SELECT * FROM sched.my_schedule();
\set ON_ERROR_STOP on
ROLLBACK;
\echo

\echo '=== Changes: one customer moves their visit, another cancels ==='
SELECT visit_id AS mover FROM sched.scheduled_visits WHERE user_id = 'user_1' \gset
SELECT visit_id AS canceller FROM sched.scheduled_visits WHERE user_id = 'user_2' \gset
SELECT ref, to_char(visit_date, 'Dy DD Mon') AS new_date, time_slot, a.name AS relationship_manager
  FROM sched.reschedule_visit(:mover, current_date + 3, 'morning') JOIN sched.agents a USING (agent_id);
SELECT ref, status FROM sched.cancel_visit(:canceller, 'Plans changed');
\echo 'Their reminders moved and cancelled in the same transactions:'
SELECT entity_id AS visit, template, state, to_char(run_at, 'Dy DD Mon HH24:MI') AS run_at, coalesce(last_error, '') AS why
  FROM sched.outbox WHERE entity_id IN (:mover, :canceller) AND template LIKE 'visit_reminder%' ORDER BY job_id;

\echo '=== John''s callback slips: two calls go unanswered (SELECT sched.set_callback_status(id, ''no_answer'')) ==='
SELECT callback_id AS cb FROM sched.callbacks WHERE user_id = 'user_john' \gset
SELECT attempts, to_char(next_attempt_at, 'Dy HH24:MI') AS "next try (inside business hours)"
  FROM sched.set_callback_status(:cb, 'no_answer', 'Rang, no answer');
SELECT attempts, to_char(next_attempt_at, 'Dy HH24:MI') AS "next try (the gap doubles)"
  FROM sched.set_callback_status(:cb, 'no_answer', 'Rang again');
\echo 'The RM''s working queue, what is due first: SELECT * FROM sched.list_callbacks()'
SELECT ref, status, urgency, attempts, to_char(next_attempt_at, 'Dy HH24:MI') AS due FROM sched.list_callbacks();
\echo 'Nobody reaches John by his deadline (the demo moves the deadline back instead of waiting: a DBA''s UPDATE of due_at is taken as given);'
\echo 'the pg_cron sweep SELECT sched.escalate_overdue_callbacks() tells the seniors:'
UPDATE sched.callbacks SET due_at = now() - interval '1 minute' WHERE callback_id = :cb;
SELECT sched.escalate_overdue_callbacks() AS "callbacks escalated";
SELECT o.recipient, m.body FROM sched.outbox o, LATERAL sched.render_message(o.job_id) m
 WHERE o.template = 'callback_overdue' ORDER BY o.job_id;
\echo 'A third unanswered call (sched.callback_max_attempts = 3) takes it out of the queue and tells John:'
SELECT attempts, next_attempt_at, to_char(gave_up_at, 'HH24:MI') AS gave_up_at
  FROM sched.set_callback_status(:cb, 'no_answer', 'No answer a third time');
SELECT o.channel, m.body FROM sched.outbox o, LATERAL sched.render_message(o.job_id) m
 WHERE o.template = 'callback_unreachable' AND o.channel = 'sms';

\echo '=== John''s calendar invite: SELECT sched.visit_ics(1) ==='
\pset tuples_only on
\pset format unaligned
SELECT replace(sched.visit_ics(:visit_id), E'\r', '');
\pset tuples_only off
\pset format aligned

\echo '=== Saturday: John came; the RM closes the visit and records John''s rating ==='
SELECT ref, status FROM sched.set_visit_status(:visit_id, 'completed');
SELECT visit_id, rating, comment FROM sched.record_feedback(:visit_id, 5, 'Helpful RM, great location');

\echo '=== The pg_cron sweep SELECT sched.mark_no_shows() marks whoever did not come: a visit of two days ago, loaded from the old system, that nobody closed ==='
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, agent_id, created_at)
SELECT 'user_old', 'Brigade Citrine', (now() AT TIME ZONE current_setting('sched.timezone'))::date - 2, 'evening',
       'Old Customer', '9876543299', min(agent_id), now() - interval '7 days'
  FROM sched.agents;
SELECT sched.mark_no_shows() AS "visits marked no_show";
\echo 'A sweep only looks back: SELECT sched.mark_no_shows(''2999-01-01'') is refused (1.3):'
\set ON_ERROR_STOP off
SELECT sched.mark_no_shows('2999-01-01');
\set ON_ERROR_STOP on


\echo '=== The rotation, as a DBA checks it: SELECT * FROM sched.assignment_stats(current_date, current_date) ==='
SELECT name, visits, callbacks, customer_cancels, no_shows FROM sched.assignment_stats(current_date, current_date);
\echo 'The worker was woken by a NOTIFY on channel sched for every booking and status change (the "Asynchronous notification" lines above).'

\echo
\echo '=== 1.4: Meena books over WhatsApp, one call per message ==='
\echo 'She agreed to WhatsApp messages and lives in Dubai; the WhatsApp webhook (the back end) records both:'
SELECT p.preferred_channel, p.whatsapp_opt_in_at IS NOT NULL AS opted_in,
       sched.set_time_zone_for('user_meena', 'Asia/Dubai') AS time_zone
  FROM sched.set_channel_for('user_meena', 'whatsapp', true) p;
\echo 'Each message she sends from the Brigade Citrine listing:'
\echo 'SELECT * FROM sched.chat_turn_for(''user_meena'', ''whatsapp'', message_id, message, project => ''Brigade Citrine'')'
CREATE FUNCTION pg_temp.meena(message_id text, message text) RETURNS text LANGUAGE sql AS $$
  SELECT format(E'Meena: %s\nBot:   %s   [%s]\n', message, replace(t.reply, E'\n', E'\n       '), t.state)
    FROM sched.chat_turn_for('user_meena', 'whatsapp', message_id, message, project => 'Brigade Citrine') t
$$;
SELECT to_char(current_date + 4, 'FMDD Mon') AS meena_day \gset
\pset tuples_only on
\pset format unaligned
SELECT pg_temp.meena('wamid.1', 'Hi, is there a 3 BHK left in Brigade Citrine?');
SELECT pg_temp.meena('wamid.2', 'yes');
SELECT pg_temp.meena('wamid.3', 'my name is Meena Iyer, +971 50 123 4567');
SELECT pg_temp.meena('wamid.4', :'meena_day' || ' evening');
SELECT pg_temp.meena('wamid.5', 'haan ji');
\echo 'WhatsApp delivers "haan ji" again after a timeout: the same answer, nothing booked twice:'
SELECT pg_temp.meena('wamid.5', 'haan ji');
\pset tuples_only off
\pset format aligned
\echo 'Her texts go on WhatsApp (she opted in): within 24 hours of her last message as text,'
WITH j AS MATERIALIZED (
  SELECT o.job_id, o.template FROM sched.outbox o JOIN sched.scheduled_visits v ON o.entity = 'visit' AND o.entity_id = v.visit_id
   WHERE v.user_id = 'user_meena' AND o.template = 'visit_booked' AND o.channel = 'sms')
SELECT j.template, r.channel, r.template_name, r.body
  FROM j, sched.render_message(j.job_id) r;
\echo 'and a day later, when WhatsApp takes only approved templates, as a template with its values (the reminder):'
UPDATE sched.chat_sessions SET whatsapp_inbound_at = now() - interval '25 hours' WHERE user_id = 'user_meena';
WITH j AS MATERIALIZED (
  SELECT o.job_id FROM sched.outbox o JOIN sched.scheduled_visits v ON o.entity = 'visit' AND o.entity_id = v.visit_id
   WHERE v.user_id = 'user_meena' AND o.template = 'visit_reminder_24h' AND o.channel = 'sms')
SELECT r.channel, r.template_name, r.language, r.parameters
  FROM j, sched.render_message(j.job_id) r;

\echo
\echo '=== 1.4: availability as calendar tools model it ==='
\echo 'A DBA enters a holiday and Amit''s weekly hours (weekdays 09:00-15:00); Rajesh''s calendar is synced busy on one afternoon:'
INSERT INTO sched.holidays (day, project, name) VALUES (current_date + 6, NULL, 'Festival');
INSERT INTO sched.agent_hours (agent_id, weekday, starts, ends)
SELECT agent_id, d, '09:00', '15:00' FROM sched.agents, generate_series(1, 5) d WHERE name = 'Amit Patel';
SELECT sched.sync_agent_busy(agent_id, 'google', jsonb_build_array(jsonb_build_object(
         'external_id', 'evt-1', 'starts_at', b.starts_at + interval '1 hour', 'ends_at', b.starts_at + interval '2 hours')))
         AS busy_blocks_kept
  FROM sched.agents, sched.slot_bounds(current_date + 5, 'afternoon') b WHERE name = 'Rajesh Kumar';
\echo 'SELECT visit_date, time_slot, free FROM sched.available_slots(''Brigade Citrine'', current_date + 5, 3): no slot on the holiday,'
\echo 'fewer places where Rajesh is busy or Amit does not work (a slot starting within sched.min_notice, 2 hours, is never offered):'
SELECT visit_date, to_char(visit_date, 'Dy') AS day, time_slot, free
  FROM sched.available_slots('Brigade Citrine', current_date + 5, 3);

\echo
\echo '=== 1.4: Priya''s calendar to subscribe to (Google Calendar, Outlook): SELECT sched.agent_calendar(agent_id, from, to) ==='
\pset tuples_only on
\pset format unaligned
SELECT line FROM (SELECT line, n FROM regexp_split_to_table(
  (SELECT sched.agent_calendar(agent_id, current_date, current_date + 30) FROM sched.agents WHERE name = 'Priya Sharma'),
  E'\r\n') WITH ORDINALITY AS t(line, n)) x
 WHERE line ~ '^(BEGIN:VEVENT|SUMMARY|DTSTART|STATUS)' ORDER BY n LIMIT 12;
\pset tuples_only off
\pset format aligned
