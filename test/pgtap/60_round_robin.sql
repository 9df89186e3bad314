-- pgTAP: round-robin assignment and slot capacity.
-- Pools (active agents in agent_id order): visit takers (handles_visits),
-- callback takers (handles_callbacks), senior callback takers (urgent).
-- Each booking takes the next ticket of its pool's turn sequence and
-- starts at position (ticket - 1) mod n, skipping agents without room.
-- Turn sequences are not transactional, so every exact order below first
-- resets the turn with setval.
BEGIN;
SELECT plan(55);

-- Deadlines here are the SLAs themselves; business hours (which move a
-- deadline made after 18:00 local to the next morning) are tested at fixed
-- local times in 150_callback_queue.sql.
SET LOCAL sched.business_hours = '00:00-24:00';

UPDATE sched.agents SET active = false;
-- Bookings and profiles of this file's users left by anything else are
-- set aside (this file's transaction rolls back, so nothing is lost).
DELETE FROM sched.user_profiles WHERE lower(user_id) LIKE 't60\_%';
DELETE FROM sched.scheduled_visits WHERE lower(user_id) LIKE 't60\_%';
DELETE FROM sched.callbacks WHERE lower(user_id) LIKE 't60\_%';
INSERT INTO sched.agents (name, phone, is_senior) VALUES
  ('T60 A', '9876500061', true),
  ('T60 B', '9876500062', false),
  ('T60 C', '9876500063', false);
SELECT agent_id AS a FROM sched.agents WHERE name = 'T60 A' \gset
SELECT agent_id AS b FROM sched.agents WHERE name = 'T60 B' \gset
SELECT agent_id AS c FROM sched.agents WHERE name = 'T60 C' \gset

-- Book one visit and say who got it.
CREATE FUNCTION pg_temp.visit_to(days int, slot sched.time_slot) RETURNS text LANGUAGE sql AS $$
  SELECT a.name FROM sched.book_site_visit('t60_user', 'Brigade Citrine', current_date + days, slot,
                                           'Round Robin', '9876543260') AS v
    JOIN sched.agents a ON a.agent_id = v.agent_id
$$;
CREATE FUNCTION pg_temp.callback_to(urg sched.urgency) RETURNS text LANGUAGE sql AS $$
  SELECT a.name FROM sched.request_callback('t60_user', 'Round Robin', '9876543260', urgency => urg) AS c
    JOIN sched.agents a ON a.agent_id = c.agent_id
$$;
CREATE PROCEDURE pg_temp.turn(seq text, next_ticket bigint) LANGUAGE sql AS $$
  SELECT pg_catalog.setval(seq::regclass, next_ticket, false)
$$;
CREATE FUNCTION pg_temp.written() RETURNS text LANGUAGE sql AS $$
  SELECT format('visits %s, callbacks %s, outbox %s, history %s, profiles %s',
                (SELECT count(*) FROM sched.scheduled_visits), (SELECT count(*) FROM sched.callbacks),
                (SELECT count(*) FROM sched.outbox), (SELECT count(*) FROM sched.status_history),
                (SELECT sum(site_visits_scheduled + callbacks_requested + intent_points) FROM sched.user_profiles))
$$;

-- ---------------------------------------------------------------------
-- A B C A B C
-- ---------------------------------------------------------------------
SELECT (SELECT last_value FROM sched.callback_turn) || '/' || (SELECT last_value FROM sched.senior_callback_turn)
  AS callback_turns \gset
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT results_eq(
  $$SELECT pg_temp.visit_to(d, 'morning') FROM generate_series(1, 6) AS d ORDER BY d$$,
  $$VALUES ('T60 A'), ('T60 B'), ('T60 C'), ('T60 A'), ('T60 B'), ('T60 C')$$,
  'six sequential visits with three agents go A B C A B C');
SELECT is((SELECT last_value FROM sched.visit_turn), 6::bigint, 'each booking took one ticket of sched.visit_turn');
CALL pg_temp.turn('sched.visit_turn', 42);
SELECT is(pg_temp.visit_to(7, 'morning'), 'T60 C', 'ticket 42 of a pool of three starts at position (42 - 1) mod 3 = 2: C');
CALL pg_temp.turn('sched.visit_turn', 101);
SELECT is(pg_temp.visit_to(8, 'morning'), 'T60 B', 'ticket 101 starts at position 100 mod 3 = 1: B');
SELECT is((SELECT last_value FROM sched.callback_turn) || '/' || (SELECT last_value FROM sched.senior_callback_turn),
          :'callback_turns',
  'visit bookings take no ticket of the callback turn sequences');

-- ---------------------------------------------------------------------
-- Inactive agents and agents who do not take visits are skipped
-- ---------------------------------------------------------------------
UPDATE sched.agents SET active = false WHERE agent_id = :b;
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT results_eq(
  $$SELECT pg_temp.visit_to(d, 'morning') FROM generate_series(11, 14) AS d ORDER BY d$$,
  $$VALUES ('T60 A'), ('T60 C'), ('T60 A'), ('T60 C')$$,
  'with B inactive the turns go A C A C');
UPDATE sched.agents SET active = true, handles_visits = false WHERE agent_id = :a;
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT results_eq(
  $$SELECT pg_temp.visit_to(d, 'morning') FROM generate_series(15, 17) AS d ORDER BY d$$,
  $$VALUES ('T60 C'), ('T60 C'), ('T60 C')$$,
  'with B inactive and A not taking visits, C gets every visit');
UPDATE sched.agents SET active = true, handles_visits = true WHERE agent_id IN (:a, :b);

-- ---------------------------------------------------------------------
-- Capacity 1 (the default): a full agent is skipped; nobody has room
-- ---------------------------------------------------------------------
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT visit_id AS x1 FROM sched.book_site_visit('t60_x1', 'P', current_date + 20, 'morning', 'X1', '9876543261') \gset
SELECT is((SELECT agent_id FROM sched.scheduled_visits WHERE visit_id = :x1), :a, 'the first visit of the slot goes to A');
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT is(pg_temp.visit_to(20, 'morning'), 'T60 B', 'A''s turn again, but A is full in that slot: B gets it');
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT is(pg_temp.visit_to(20, 'morning'), 'T60 C', 'A and B are full: C gets it');
SELECT is(pg_temp.visit_to(20, 'afternoon'), 'T60 B', 'another slot of the same day is not full');
SELECT is(pg_temp.visit_to(21, 'morning'), 'T60 C', 'the same slot of another day is not full');

SELECT pg_temp.written() AS before_full \gset
SELECT last_value AS ticket_before FROM sched.visit_turn \gset
SELECT throws_ok(
  $$SELECT sched.book_site_visit('t60_x4', 'P', current_date + 20, 'morning', 'X4', '9876543264')$$,
  'PT409', format('no agent has room on %s in the morning slot', to_char(current_date + 20, 'YYYY-MM-DD')),
  'when every agent is full the booking fails with PT409 naming the date and slot');
SELECT is(pg_temp.written(), :'before_full', 'the refused booking wrote nothing (visits, callbacks, outbox, history, profiles)');
SELECT is((SELECT last_value FROM sched.visit_turn), :ticket_before::bigint + 1,
  'the refused booking still spent its ticket (turns are never given back)');
SELECT throws_ok(
  format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, agent_id)
           VALUES ('t60_x5', 'P', current_date + 20, 'morning', 'X5', '9876543265', %s)$$, :a),
  'PT409', format('agent %s has no room on %s in the morning slot', :a, to_char(current_date + 20, 'YYYY-MM-DD')),
  'a plain INSERT naming a full agent is refused');

-- Cancelled, completed and no_show visits free their place; confirmed ones hold it.
SELECT sched.set_visit_status(:x1, 'cancelled') IS NOT NULL AS moved \gset
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT is(pg_temp.visit_to(20, 'morning'), 'T60 A', 'cancelling A''s visit frees A''s place');
UPDATE sched.scheduled_visits SET status = 'confirmed'
 WHERE visit_date = current_date + 20 AND time_slot = 'morning' AND status = 'pending';
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT throws_ok($$SELECT pg_temp.visit_to(20, 'morning')$$, 'PT409', NULL,
  'confirmed visits still hold their places');
UPDATE sched.scheduled_visits SET status = 'no_show'
 WHERE visit_date = current_date + 20 AND time_slot = 'morning' AND agent_id = :b AND status = 'confirmed';
UPDATE sched.scheduled_visits SET status = 'completed'
 WHERE visit_date = current_date + 20 AND time_slot = 'morning' AND agent_id = :c AND status = 'confirmed';
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT results_eq(
  $$SELECT pg_temp.visit_to(20, 'morning') FROM generate_series(1, 2)$$,
  $$VALUES ('T60 B'), ('T60 C')$$,
  'no_show and completed visits free their places (A is still full)');

-- Moving a live visit into a full slot is refused; setting agent_id NULL reassigns.
SELECT visit_id AS xm FROM sched.book_site_visit('t60_move', 'P', current_date + 22, 'morning', 'Mover', '9876543266') \gset
SELECT throws_ok(format('UPDATE sched.scheduled_visits SET visit_date = current_date + 20 WHERE visit_id = %s', :xm),
  'PT409', NULL, 'a plain UPDATE moving a pending visit into a full slot is refused');
SELECT lives_ok(format('UPDATE sched.scheduled_visits SET visit_date = current_date + 20, status = ''cancelled'' WHERE visit_id = %s', :xm),
  'a cancelled visit takes no place, so it may move anywhere');
SELECT visit_id AS xr FROM sched.book_site_visit('t60_move', 'P', current_date + 23, 'morning', 'Mover', '9876543266') \gset
CALL pg_temp.turn('sched.visit_turn', 3);
UPDATE sched.scheduled_visits SET agent_id = NULL WHERE visit_id = :xr;
SELECT is((SELECT agent_id FROM sched.scheduled_visits WHERE visit_id = :xr), :c,
  'setting agent_id to NULL assigns the visit round robin again');

-- ---------------------------------------------------------------------
-- Capacity 2 and capacity 0
-- ---------------------------------------------------------------------
UPDATE sched.agents SET slot_capacity = 2 WHERE agent_id = :a;
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT is(pg_temp.visit_to(30, 'evening'), 'T60 A', 'capacity 2: A takes a first visit in the slot');
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT is(pg_temp.visit_to(30, 'evening'), 'T60 A', 'capacity 2: A takes a second visit in the same slot');
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT is(pg_temp.visit_to(30, 'evening'), 'T60 B', 'capacity 2: a third goes on to B');
SELECT is((SELECT count(*)::int FROM sched.scheduled_visits
            WHERE agent_id = :a AND visit_date = current_date + 30 AND time_slot = 'evening'), 2,
  'A holds exactly two visits in the slot');

UPDATE sched.agents SET slot_capacity = 0 WHERE agent_id = :c;
UPDATE sched.agents SET slot_capacity = 1 WHERE agent_id = :a;
CALL pg_temp.turn('sched.visit_turn', 3);
SELECT is(pg_temp.visit_to(40, 'afternoon'), 'T60 A', 'capacity 0: C''s turn goes on to the next agent, A');
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT is((SELECT count(*)::int FROM (SELECT pg_temp.visit_to(d, 'afternoon') AS who
                                        FROM generate_series(41, 49) AS d) s WHERE who = 'T60 C'), 0,
  'capacity 0: nine more bookings, none of them to C');
SELECT throws_ok(
  format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, agent_id)
           VALUES ('t60_zero', 'P', current_date + 50, 'morning', 'Zero', '9876543267', %s)$$, :c),
  'PT409', format('agent %s has no room on %s in the morning slot', :c, to_char(current_date + 50, 'YYYY-MM-DD')),
  'capacity 0: not even a plain INSERT can give C a visit');
UPDATE sched.agents SET slot_capacity = 0;
SELECT throws_ok($$SELECT sched.book_site_visit('t60_none', 'P', current_date + 51, 'morning', 'None', '9876543268')$$,
  'PT409', format('no agent has room on %s in the morning slot', to_char(current_date + 51, 'YYYY-MM-DD')),
  'everybody at capacity 0: PT409');
UPDATE sched.agents SET slot_capacity = 1;

-- ---------------------------------------------------------------------
-- Callbacks: no capacity; urgent ones to seniors only
-- ---------------------------------------------------------------------
UPDATE sched.agents SET slot_capacity = 0 WHERE agent_id = :c;
CALL pg_temp.turn('sched.callback_turn', 1);
SELECT results_eq(
  $$SELECT pg_temp.callback_to(u) FROM unnest(ARRAY['medium', 'high', 'low', 'medium']::sched.urgency[]) WITH ORDINALITY AS x (u, i) ORDER BY i$$,
  $$VALUES ('T60 A'), ('T60 B'), ('T60 C'), ('T60 A')$$,
  'non-urgent callbacks go A B C A over all callback takers (slot_capacity does not apply)');
UPDATE sched.agents SET is_senior = true WHERE agent_id = :c;
CALL pg_temp.turn('sched.senior_callback_turn', 1);
SELECT last_value AS cb_ticket FROM sched.callback_turn \gset
SELECT results_eq(
  $$SELECT pg_temp.callback_to('urgent') FROM generate_series(1, 4)$$,
  $$VALUES ('T60 A'), ('T60 C'), ('T60 A'), ('T60 C')$$,
  'urgent callbacks go round robin among the seniors A and C only');
SELECT is((SELECT last_value FROM sched.callback_turn), :cb_ticket::bigint,
  'urgent callbacks take their turns from sched.senior_callback_turn, not sched.callback_turn');
UPDATE sched.agents SET handles_callbacks = false WHERE agent_id = :a;
CALL pg_temp.turn('sched.senior_callback_turn', 1);
SELECT results_eq(
  $$SELECT pg_temp.callback_to('urgent') FROM generate_series(1, 2)$$,
  $$VALUES ('T60 C'), ('T60 C')$$,
  'a senior who does not handle callbacks is not in the urgent pool');
UPDATE sched.agents SET handles_callbacks = true, active = false WHERE agent_id = :a;
CALL pg_temp.turn('sched.senior_callback_turn', 1);
SELECT results_eq(
  $$SELECT pg_temp.callback_to('urgent') FROM generate_series(1, 2)$$,
  $$VALUES ('T60 C'), ('T60 C')$$,
  'an inactive senior is not in the urgent pool');
UPDATE sched.agents SET active = true WHERE agent_id = :a;
UPDATE sched.agents SET is_senior = false WHERE agent_id IN (:a, :c);

SELECT pg_temp.written() AS before_senior \gset
SELECT throws_ok($$SELECT sched.request_callback('t60_urgent', 'Urgent', '9876543269', urgency => 'urgent')$$,
  'PT409', 'no senior agent takes urgent callbacks', 'an urgent callback with no senior agent fails with PT409');
SELECT is(pg_temp.written(), :'before_senior', 'the refused urgent callback wrote nothing');
SELECT lives_ok($$SELECT sched.request_callback('t60_high', 'High', '9876543269', urgency => 'high')$$,
  'without seniors, non-urgent callbacks still work');
SELECT is((SELECT count(*)::int FROM sched.callbacks c
            WHERE c.user_id = 't60_user' AND c.urgency = 'urgent' AND c.agent_id = :b), 0,
  'no urgent callback of this file went to B, who was never senior');

-- Raising an existing callback to urgent must hand it to a senior too.
UPDATE sched.agents SET is_senior = true WHERE agent_id = :a;
CALL pg_temp.turn('sched.callback_turn', 2);
SELECT callback_id AS cr FROM sched.request_callback('t60_raise', 'Raise', '9876543270', urgency => 'low') \gset
SELECT is((SELECT agent_id FROM sched.callbacks WHERE callback_id = :cr), :b, 'setup: a low callback went to junior B');
UPDATE sched.callbacks SET urgency = 'urgent' WHERE callback_id = :cr;
SELECT is((SELECT due_at - created_at FROM sched.callbacks WHERE callback_id = :cr), interval '30 minutes',
  'raising it to urgent moves due_at to created_at + 30 minutes');
SELECT is((SELECT agent_id FROM sched.callbacks WHERE callback_id = :cr), :a,
  'raising it to urgent with a plain UPDATE hands it to a senior (urgent callbacks go to nobody else)');

-- Setting a callback's agent_id to NULL assigns it round robin again
-- (from the senior pool if it is urgent).
SELECT callback_id AS cn FROM sched.request_callback('t60_null', 'Null', '9876543272', urgency => 'low') \gset
CALL pg_temp.turn('sched.callback_turn', 3);
UPDATE sched.callbacks SET agent_id = NULL WHERE callback_id = :cn;
SELECT is((SELECT agent_id FROM sched.callbacks WHERE callback_id = :cn), :c,
  'setting a callback''s agent_id to NULL assigns it round robin again');
UPDATE sched.callbacks SET agent_id = NULL WHERE callback_id = :cr;
SELECT is((SELECT agent_id FROM sched.callbacks WHERE callback_id = :cr), :a,
  'setting an urgent callback''s agent_id to NULL assigns it to a senior');

-- The session keeps the agents in memory: a change rolled back to a
-- savepoint must be forgotten too.
CREATE FUNCTION pg_temp.retire_all_then_fail() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sched.agents SET active = false WHERE name LIKE 'T60 %';
  PERFORM pg_temp.visit_to(70, 'morning');
END $$;
SELECT throws_ok('SELECT pg_temp.retire_all_then_fail()', 'PT409', 'no agent takes site visits',
  'inside a subtransaction, retiring every agent leaves nobody to take a visit');
CALL pg_temp.turn('sched.visit_turn', 1);
SELECT is(pg_temp.visit_to(70, 'morning'), 'T60 A',
  'after that subtransaction rolled back the agents are active again for this session');

-- ---------------------------------------------------------------------
-- One statement writing several rows: each row must count the places the
-- rows before it took (a DBA's INSERT ... SELECT or multi-row UPDATE).
-- ---------------------------------------------------------------------
UPDATE sched.agents SET active = false WHERE agent_id IN (:b, :c);
UPDATE sched.agents SET slot_capacity = 1, handles_visits = true WHERE agent_id = :a;
SELECT is(pg_temp.visit_to(79, 'evening'), 'T60 A', 'setup: only A (capacity 1) takes visits now');
SELECT throws_ok(
  $$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone)
    SELECT 't60_bulk_' || g, 'P', current_date + 80, 'evening', 'Bulk', '9876543273' FROM generate_series(1, 2) AS g$$,
  'PT409', format('no agent has room on %s in the evening slot', to_char(current_date + 80, 'YYYY-MM-DD')),
  'a two-row INSERT into a slot with one place left is refused');
SELECT cmp_ok((SELECT count(*)::int FROM sched.scheduled_visits
                WHERE agent_id = :a AND visit_date = current_date + 80 AND time_slot = 'evening'
                  AND status IN ('pending', 'confirmed')), '<=', 1,
  'after a multi-row INSERT, A holds no more live visits in the slot than slot_capacity (1)');
SELECT visit_id AS xp FROM sched.book_site_visit('t60_p', 'P', current_date + 81, 'evening', 'P', '9876543274') \gset
SELECT visit_id AS xq FROM sched.book_site_visit('t60_q', 'P', current_date + 82, 'evening', 'Q', '9876543275') \gset
SELECT throws_ok(
  format('UPDATE sched.scheduled_visits SET visit_date = current_date + 83 WHERE visit_id IN (%s, %s)', :xp, :xq),
  'PT409', format('agent %s has no room on %s in the evening slot', :a, to_char(current_date + 83, 'YYYY-MM-DD')),
  'one UPDATE moving two of A''s visits into the same slot (capacity 1) is refused');
SELECT cmp_ok((SELECT count(*)::int FROM sched.scheduled_visits
                WHERE agent_id = :a AND visit_date = current_date + 83 AND time_slot = 'evening'
                  AND status IN ('pending', 'confirmed')), '<=', 1,
  'after a multi-row UPDATE, A holds no more live visits in the slot than slot_capacity (1)');
UPDATE sched.agents SET active = true WHERE agent_id IN (:b, :c);

-- ---------------------------------------------------------------------
-- Empty pools
-- ---------------------------------------------------------------------
UPDATE sched.agents SET handles_visits = false;
SELECT pg_temp.written() AS before_pool \gset
SELECT throws_ok($$SELECT sched.book_site_visit('t60_pool', 'P', current_date + 60, 'morning', 'Pool', '9876543271')$$,
  'PT409', 'no agent takes site visits', 'no agent handles visits: PT409');
UPDATE sched.agents SET handles_callbacks = false;
SELECT throws_ok($$SELECT sched.request_callback('t60_pool', 'Pool', '9876543271')$$,
  'PT409', 'no agent takes callbacks', 'no agent handles callbacks: PT409');
SELECT is(pg_temp.written(), :'before_pool', 'the refused bookings wrote nothing');
UPDATE sched.agents SET handles_visits = true, handles_callbacks = true, active = false;
SELECT throws_ok($$SELECT sched.book_site_visit('t60_pool', 'P', current_date + 60, 'morning', 'Pool', '9876543271')$$,
  'PT409', 'no agent takes site visits', 'every agent inactive: PT409 for visits');

SELECT * FROM finish();
ROLLBACK;
