-- pgTAP: sched.user_schedule(user_id): {"visits": [...], "callbacks": [...]},
-- newest first, every column, only that user's bookings.
BEGIN;
SELECT plan(20);

UPDATE sched.agents SET active = false;
-- Bookings and profiles of this file's users left by anything else are
-- set aside (this file's transaction rolls back, so nothing is lost).
DELETE FROM sched.user_profiles WHERE lower(user_id) LIKE 't30\_%';
DELETE FROM sched.scheduled_visits WHERE lower(user_id) LIKE 't30\_%';
DELETE FROM sched.callbacks WHERE lower(user_id) LIKE 't30\_%';
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity)
VALUES ('T30 Agent', '9876500031', true, 50);
SELECT agent_id AS a1 FROM sched.agents WHERE name = 'T30 Agent' \gset

SELECT is(sched.user_schedule('t30_nobody'), '{"visits": [], "callbacks": []}'::jsonb,
  'a user without bookings gets two empty arrays');

-- An imported (older) visit and callback, then two new ones of each.
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name,
                                    contact_phone, agent_id, status, created_at)
VALUES ('t30_user', 'Old Project', current_date - 20, 'morning', 'Old Self', '9876543230', :a1,
        'completed', now() - interval '30 days');
INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, status, attempts, created_at)
VALUES ('t30_user', 'Old Self', '9876543230', 'completed', 1, now() - interval '30 days');
SELECT visit_id AS v0 FROM sched.scheduled_visits WHERE user_id = 't30_user' \gset
SELECT callback_id AS c0 FROM sched.callbacks WHERE user_id = 't30_user' \gset

SELECT visit_id AS v1 FROM sched.book_site_visit('t30_user', 'Brigade Citrine', current_date + 2, 'morning',
                                                 'T30 User', '9876543231', 't30@example.com') \gset
SELECT visit_id AS v2 FROM sched.book_site_visit('t30_user', 'Prestige Lakeside', current_date + 2, 'evening',
                                                 'T30 User', '9876543231') \gset
SELECT callback_id AS c1 FROM sched.request_callback('t30_user', 'T30 User', '9876543231', 'pricing') \gset
SELECT callback_id AS c2 FROM sched.request_callback('t30_user', 'T30 User', '9876543231', urgency => 'urgent') \gset
-- Somebody else's bookings must not show.
SELECT visit_id AS vx FROM sched.book_site_visit('t30_other', 'Brigade Citrine', current_date + 2, 'evening',
                                                 'Other', '9876543232') \gset
SELECT callback_id AS cx FROM sched.request_callback('t30_other', 'Other', '9876543232') \gset
SELECT visit_id AS vy FROM sched.book_site_visit('T30_USER', 'Brigade Citrine', current_date + 3, 'evening',
                                                 'Upper Case', '9876543233') \gset

CREATE TEMP TABLE sched_json AS SELECT sched.user_schedule('t30_user') AS j;

SELECT is((SELECT jsonb_typeof(j) FROM sched_json), 'object', 'the result is a JSON object');
SELECT set_eq('SELECT jsonb_object_keys(j) FROM sched_json', ARRAY['visits', 'callbacks'],
  'it has exactly the keys visits and callbacks');
SELECT is((SELECT jsonb_array_length(j->'visits') FROM sched_json), 3, 'all three visits of the user are listed');
SELECT is((SELECT jsonb_array_length(j->'callbacks') FROM sched_json), 3, 'all three callbacks of the user are listed');
SELECT results_eq(
  $$SELECT (e->>'visit_id')::bigint FROM sched_json, jsonb_array_elements(j->'visits') WITH ORDINALITY AS a (e, i) ORDER BY i$$,
  format('VALUES (%s::bigint), (%s), (%s)', :v2, :v1, :v0),
  'visits are newest first (created_at, then id, descending); the older import comes last');
SELECT results_eq(
  $$SELECT (e->>'callback_id')::bigint FROM sched_json, jsonb_array_elements(j->'callbacks') WITH ORDINALITY AS a (e, i) ORDER BY i$$,
  format('VALUES (%s::bigint), (%s), (%s)', :c2, :c1, :c0),
  'callbacks are newest first; the older import comes last');
SELECT set_eq(
  $$SELECT jsonb_object_keys(j->'visits'->0) FROM sched_json$$,
  $$SELECT attname::text FROM pg_attribute WHERE attrelid = 'sched.scheduled_visits'::regclass
       AND attnum > 0 AND NOT attisdropped$$,
  'each visit carries every column of scheduled_visits');
SELECT set_eq(
  $$SELECT jsonb_object_keys(j->'callbacks'->0) FROM sched_json$$,
  $$SELECT attname::text FROM pg_attribute WHERE attrelid = 'sched.callbacks'::regclass
       AND attnum > 0 AND NOT attisdropped$$,
  'each callback carries every column of callbacks');
SELECT is((SELECT j->'visits'->1 FROM sched_json),
          (SELECT to_jsonb(v) FROM sched.scheduled_visits v WHERE v.visit_id = :v1),
  'a visit element holds the stored values of every column');
SELECT is((SELECT j->'callbacks'->1 FROM sched_json),
          (SELECT to_jsonb(c) FROM sched.callbacks c WHERE c.callback_id = :c1),
  'a callback element holds the stored values of every column');
SELECT results_eq(
  $$SELECT e->>'ref', e->>'status', e->>'contact_phone', e->>'contact_email', e->>'visit_date', e->>'time_slot'
      FROM sched_json, jsonb_array_elements(j->'visits') WITH ORDINALITY AS a (e, i) WHERE i = 2$$,
  format($$VALUES ('visit_' || lpad('%s', 6, '0'), 'pending', '+919876543231', 't30@example.com',
                   to_char(current_date + 2, 'YYYY-MM-DD'), 'morning')$$, :v1),
  'values are plain JSON: ref, enums as labels, normalised phone, ISO dates');
SELECT is((SELECT j->'visits'->1->'lead_score' FROM sched_json), 'null'::jsonb,
  'NULL columns are JSON null, not left out');
SELECT is((SELECT (j->'callbacks'->0->>'agent_id')::int FROM sched_json), :a1,
  'agent_id is a JSON number');
SELECT is_empty(
  format($$SELECT 1 FROM sched_json, jsonb_array_elements(j->'visits') e
            WHERE (e->>'visit_id')::bigint IN (%s, %s)
           UNION ALL
           SELECT 1 FROM sched_json, jsonb_array_elements(j->'callbacks') e
            WHERE (e->>'callback_id')::bigint = %s$$, :vx, :vy, :cx),
  'other users'' bookings are not included (user_id matches exactly, case included)');

-- It is current: a status change shows at once.
SELECT sched.set_visit_status(:v1, 'confirmed', 'Called the customer') IS NOT NULL AS moved \gset
SELECT is(sched.user_schedule('t30_user')->'visits'->1->>'status', 'confirmed',
  'a status change shows in the next user_schedule');
SELECT is(sched.user_schedule('t30_user')->'visits'->1->>'rm_notes', 'Called the customer',
  'the agent''s notes show too');

-- It writes nothing.
SELECT (SELECT count(*) FROM sched.outbox) + (SELECT count(*) FROM sched.status_history) AS writes_before \gset
SELECT lives_ok($$SELECT sched.user_schedule('t30_user')$$, 'user_schedule runs');
SELECT is((SELECT count(*) FROM sched.outbox) + (SELECT count(*) FROM sched.status_history), :writes_before::bigint,
  'user_schedule writes no outbox job and no history row');

-- The booking stores user_id trimmed; asking with the same (untrimmed)
-- user_id must find it.
SELECT visit_id AS vpad FROM sched.book_site_visit('  t30_padded  ', 'Brigade Citrine', current_date + 4, 'morning',
                                                   'Padded', '9876543234') \gset
SELECT is((SELECT jsonb_array_length(sched.user_schedule('  t30_padded  ')->'visits')), 1,
  'user_schedule finds a booking made with the same user_id (which the booking stored trimmed)');

SELECT * FROM finish();
ROLLBACK;
