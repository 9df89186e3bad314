-- pgTAP: a booking that names its agent (a DBA's INSERT or UPDATE) must
-- name one the round robin could have chosen; a callback raised to
-- urgent goes to a senior.
BEGIN;
SELECT plan(11);

-- Deadlines here are the SLAs themselves; business hours (which move a
-- deadline made after 18:00 local to the next morning) are tested at fixed
-- local times in 150_callback_queue.sql.
SET LOCAL sched.business_hours = '00:00-24:00';

UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, is_senior, handles_visits, handles_callbacks, slot_capacity) VALUES
  ('T62 Senior', '9876562001', true, true, true, 5),
  ('T62 Junior', '9876562002', false, true, true, 5),
  ('T62 No Visits', '9876562003', true, false, true, 5),
  ('T62 Retired', '9876562004', true, true, true, 5);
UPDATE sched.agents SET active = false WHERE name = 'T62 Retired';
SELECT agent_id AS senior FROM sched.agents WHERE name = 'T62 Senior' \gset
SELECT agent_id AS junior FROM sched.agents WHERE name = 'T62 Junior' \gset
SELECT agent_id AS novisits FROM sched.agents WHERE name = 'T62 No Visits' \gset
SELECT agent_id AS retired FROM sched.agents WHERE name = 'T62 Retired' \gset

SELECT throws_ok(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot,
    contact_name, contact_phone, agent_id) VALUES ('t62', 'P', current_date + 2, 'morning', 'N', '9876543210', %s)$$, :novisits),
  '22023', format('agent_id %s does not take site visits', :novisits),
  'a visit cannot name an agent who does not handle visits');
SELECT throws_ok(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot,
    contact_name, contact_phone, agent_id) VALUES ('t62', 'P', current_date + 2, 'morning', 'N', '9876543210', %s)$$, :retired),
  '22023', format('agent_id %s does not take site visits', :retired),
  'a visit cannot name an inactive agent');
SELECT lives_ok(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot,
    contact_name, contact_phone, agent_id) VALUES ('t62', 'P', current_date + 2, 'morning', 'N', '9876543210', %s)$$, :junior),
  'a visit may name an active visit-taking agent');
SELECT throws_ok(format($$UPDATE sched.scheduled_visits SET agent_id = %s WHERE user_id = 't62'$$, :novisits),
  '22023', NULL, 'moving a visit to an agent who does not take visits is refused');

SELECT throws_ok(format($$INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, urgency, agent_id)
    VALUES ('t62', 'N', '9876543210', 'urgent', %s)$$, :junior),
  '22023', format('agent_id %s does not take urgent callbacks', :junior),
  'an urgent callback cannot name a junior agent');
SELECT lives_ok(format($$INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, urgency, agent_id)
    VALUES ('t62', 'N', '9876543210', 'low', %s)$$, :junior),
  'a low-urgency callback may name a junior agent');

UPDATE sched.callbacks SET urgency = 'urgent' WHERE user_id = 't62' AND urgency = 'low';
SELECT ok((SELECT a.is_senior FROM sched.callbacks c JOIN sched.agents a USING (agent_id)
            WHERE c.user_id = 't62'),
  'raising a callback to urgent hands it from the junior to a senior');
SELECT is((SELECT due_at - created_at FROM sched.callbacks WHERE user_id = 't62'), interval '30 minutes',
  'and its deadline becomes the urgent one');
SELECT throws_ok(format($$UPDATE sched.callbacks SET agent_id = %s WHERE user_id = 't62'$$, :junior),
  '22023', NULL, 'an urgent callback cannot be handed to a junior by hand');

-- two rows of one statement count each other: a multi-row INSERT cannot
-- put two visits into an agent's one place
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('T62 One Place', '9876562005', 1);
SELECT agent_id AS one FROM sched.agents WHERE name = 'T62 One Place' \gset
SELECT throws_ok(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot,
    contact_name, contact_phone, agent_id)
    VALUES ('t62_a', 'P', current_date + 4, 'morning', 'N', '9876543210', %1$s),
           ('t62_b', 'P', current_date + 4, 'morning', 'N', '9876543210', %1$s)$$, :one),
  'PT409', format('agent %s has no room on %s in the morning slot', :one, current_date + 4),
  'the second row of one INSERT sees the first take the agent''s only place');
SELECT is((SELECT count(*) FROM sched.scheduled_visits WHERE agent_id = :one), 0::bigint,
  'and the statement wrote neither');

SELECT * FROM finish();
ROLLBACK;
