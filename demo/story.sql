-- The seed's story, told through sched's SQL calls (run by demo/run.sh).
\set QUIET on
\set SHOW_CONTEXT never
\pset footer off
SET client_min_messages = warning;
SET TimeZone = 'Asia/Kolkata';
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
\echo 'Bot:  Great! Let''s schedule your site visit. Please share your name, phone number and preferred date and time.'
\echo
\echo '=== Turn 2 ==='
\echo 'User: "My name is John Doe, phone +91 98765 43210, I''m free this Saturday morning"'
\echo 'App:  SELECT * FROM sched.book_site_visit(user_id => ''user_john'', project => ''Brigade Citrine'', ...)'
SELECT current_date + 1 + (6 - extract(dow FROM current_date + 1)::int + 7) % 7 AS saturday \gset
SELECT v.visit_id, v.ref, a.name AS rm_name, a.phone AS rm_phone,
       to_char(v.visit_date, 'FMDay, FMMonth FMDD, YYYY') AS visit_day, v.time_slot
  FROM sched.book_site_visit(
         user_id => 'user_john', project => 'Brigade Citrine', visit_date => :'saturday',
         time_slot => 'morning', contact_name => 'John Doe', contact_phone => '+91 98765 43210',
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
SELECT job_id, channel, recipient, template,
       CASE template
         WHEN 'visit_booked' THEN format('Site visit %s: %s, %s, 9 AM-12 PM. RM %s', payload->>'ref',
                                         payload->>'project', payload->>'visit_date', payload->>'agent_name')
         WHEN 'visit_assigned' THEN format('New visit %s: %s (%s) on %s %s', payload->>'ref',
                                           payload->>'contact_name', payload->>'contact_phone',
                                           payload->>'visit_date', payload->>'time_slot')
         WHEN 'visit_confirmed' THEN format('Confirmed: %s visit on %s 9 AM', payload->>'project',
                                            to_char((payload->>'visit_date')::date, 'Dy'))
         WHEN 'callback_requested' THEN format('We will call you back by %s', payload->>'due_at')
         WHEN 'callback_assigned' THEN format('Call %s (%s): %s, %s urgency', payload->>'contact_name',
                                              payload->>'contact_phone', payload->>'reason', payload->>'urgency')
       END AS message
  FROM sched.outbox ORDER BY job_id;

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
\echo 'The worker was woken by a NOTIFY on channel sched for every booking and status change (the "Asynchronous notification" lines above).'
