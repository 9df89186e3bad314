-- pgTAP: 1.2 keeps the agent_id of visits and callbacks without foreign
-- keys (sched.agent_keys and the guards): a row cannot name an agent that
-- does not exist, an agent that rows name cannot be deleted or
-- renumbered, and sched.agents cannot be truncated alone while rows name
-- agents.  Same SQLSTATEs as the foreign keys gave.
BEGIN;
SELECT plan(26);

UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES
  ('T160 Booked', '9876516001', 5),
  ('T160 Called', '9876516002', 5),
  ('T160 Free', '9876516003', 5);
UPDATE sched.agents SET handles_visits = false WHERE name = 'T160 Called';
SELECT agent_id AS booked FROM sched.agents WHERE name = 'T160 Booked' \gset
SELECT agent_id AS called FROM sched.agents WHERE name = 'T160 Called' \gset
SELECT agent_id AS free FROM sched.agents WHERE name = 'T160 Free' \gset
SELECT max(agent_id) + 1000 AS missing FROM sched.agents \gset

SELECT visit_id AS visit FROM sched.book_site_visit('t160', 'T160 Project', current_date + 2, 'morning',
  'Key Customer', '9876543160') \gset
UPDATE sched.scheduled_visits SET agent_id = :booked WHERE visit_id = :visit;
SELECT callback_id AS cb FROM sched.request_callback('t160', 'Key Customer', '9876543160') \gset
UPDATE sched.callbacks SET agent_id = :called WHERE callback_id = :cb;
SELECT is((SELECT agent_id FROM sched.callbacks WHERE callback_id = :cb), :called,
  'the callback is with the agent who takes only callbacks');

-- a row cannot name an agent that does not exist
SELECT throws_ok(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot,
    contact_name, contact_phone, agent_id) VALUES ('t160', 'P', current_date + 2, 'morning', 'N', '9876543210', %s)$$, :missing),
  '23503', 'insert or update on table "scheduled_visits" names an agent that does not exist',
  'a visit cannot name an agent that does not exist (23503)');
SELECT throws_ok(format($$INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, agent_id)
    VALUES ('t160', 'N', '9876543210', %s)$$, :missing),
  '23503', 'insert or update on table "callbacks" names an agent that does not exist',
  'a callback cannot name an agent that does not exist (23503)');
SELECT throws_ok(format($$UPDATE sched.scheduled_visits SET agent_id = %s WHERE visit_id = %s$$, :missing, :visit),
  '23503', NULL, 'a visit cannot be handed to an agent that does not exist');
SELECT throws_ok(format($$UPDATE sched.callbacks SET agent_id = %s WHERE callback_id = %s$$, :missing, :cb),
  '23503', NULL, 'a callback cannot be handed to an agent that does not exist');
SELECT sched.set_visit_status(:visit, 'cancelled') IS NOT NULL AS moved \gset
SELECT throws_ok(format($$UPDATE sched.scheduled_visits SET agent_id = %s WHERE visit_id = %s$$, :missing, :visit),
  '23503', NULL, 'nor can a cancelled visit, which holds no place');
SELECT is((SELECT count(*) FROM sched.scheduled_visits WHERE user_id = 't160' AND agent_id = :booked), 1::bigint,
  'the refused statements wrote nothing');

-- an import (created_at before the transaction: pg_restore, a migration)
-- keeps its agent_id as given, for pg_restore --jobs loads visits before agents
-- (rolled back after: visits and callbacks are never deleted, 1.3)
SAVEPOINT t160_import;
SELECT lives_ok(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot,
    contact_name, contact_phone, agent_id, status, created_at)
    VALUES ('t160_import', 'P', current_date - 10, 'morning', 'N', '9876543210', %s, 'completed',
            now() - interval '20 days')$$, :missing),
  'an imported visit may name an agent not loaded yet');
SELECT lives_ok(format($$INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, agent_id, status, created_at)
    VALUES ('t160_import', 'N', '9876543210', %s, 'completed', now() - interval '20 days')$$, :missing),
  'so may an imported callback');
SELECT throws_ok(format($$UPDATE sched.scheduled_visits SET agent_id = %s WHERE user_id = 't160_import'$$, :missing + 1),
  '23503', NULL, 'a later change of its agent is checked');
ROLLBACK TO SAVEPOINT t160_import;

-- an agent that rows name cannot be deleted or renumbered
SELECT throws_ok(format('DELETE FROM sched.agents WHERE agent_id = %s', :booked),
  '23503', 'update or delete on table "agents" would leave rows of "scheduled_visits" without their agent',
  'an agent with visits (even a cancelled one) cannot be deleted (23503)');
SELECT throws_ok(format('DELETE FROM sched.agents WHERE agent_id = %s', :called),
  '23503', 'update or delete on table "agents" would leave rows of "callbacks" without their agent',
  'an agent with callbacks cannot be deleted (23503)');
SELECT throws_ok(format('UPDATE sched.agents SET agent_id = %s WHERE agent_id = %s', :missing, :booked),
  '23503', NULL, 'an agent with visits cannot be renumbered (23503)');
SELECT lives_ok(format($$UPDATE sched.agents SET name = 'T160 Booked Again', slot_capacity = 6,
    agent_id = agent_id WHERE agent_id = %s$$, :booked),
  'the rest of an agent with visits can change, agent_id set to itself included');
SELECT is((SELECT count(*) FROM sched.agents WHERE agent_id IN (:booked, :called)), 2::bigint,
  'both agents are still there');

-- an agent nobody names can go; then nobody can name them
SELECT lives_ok(format('UPDATE sched.agents SET agent_id = %s WHERE agent_id = %s', :missing, :free),
  'an agent nobody names can be renumbered');
SAVEPOINT t160_new;
SELECT lives_ok(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot,
    contact_name, contact_phone, agent_id) VALUES ('t160_new', 'P', current_date + 2, 'morning', 'N', '9876543210', %s)$$, :missing),
  'a visit can name the agent by the new number');
SELECT throws_ok(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot,
    contact_name, contact_phone, agent_id) VALUES ('t160', 'P', current_date + 2, 'morning', 'N', '9876543210', %s)$$, :free),
  '23503', NULL, 'but no longer by the old one');
ROLLBACK TO SAVEPOINT t160_new;
SELECT lives_ok(format('DELETE FROM sched.agents WHERE agent_id = %s', :missing),
  'an agent nobody names can be deleted');
SELECT throws_ok(format($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot,
    contact_name, contact_phone, agent_id) VALUES ('t160', 'P', current_date + 2, 'morning', 'N', '9876543210', %s)$$, :missing),
  '23503', NULL, 'a deleted agent cannot be named in the same transaction');
SELECT is((SELECT agent_id FROM sched.book_site_visit('t160_rr', 'T160 Project', current_date + 3, 'evening',
    'Key Customer', '9876543160')), :booked,
  'the round robin goes on without the deleted agent');

-- the trigger function refuses to run other than as its triggers
SELECT throws_ok('SELECT sched.agent_keys()', '39P01',
  'function "agent_keys" was not called by trigger manager',
  'sched.agent_keys cannot be called as a plain function');
CREATE TRIGGER t160_wrong AFTER INSERT ON sched.agents FOR EACH ROW EXECUTE FUNCTION sched.agent_keys();
SELECT throws_ok($$INSERT INTO sched.agents (name, phone) VALUES ('T160 Wrong', '9876516009')$$, '39P01',
  'function "agent_keys" must be fired BEFORE DELETE OR UPDATE FOR EACH ROW or BEFORE and AFTER TRUNCATE',
  'nor as a trigger on other events');
DROP TRIGGER t160_wrong ON sched.agents;

-- TRUNCATE (of the visits and callbacks only with sched.allow_truncate, 1.3)
SET LOCAL sched.allow_truncate = on;
SELECT throws_ok('TRUNCATE sched.agents, sched.agent_time_off, sched.project_agents, sched.agent_hours, sched.agent_busy, sched.visit_feedback',
  '0A000', 'cannot truncate sched.agents while sched.scheduled_visits names agents',
  'sched.agents cannot be truncated while visits name agents (0A000)');
SELECT throws_ok('TRUNCATE sched.agents, sched.agent_time_off, sched.project_agents, sched.agent_hours, sched.agent_busy, sched.visit_feedback, sched.scheduled_visits',
  '0A000', 'cannot truncate sched.agents while sched.callbacks names agents',
  'nor while callbacks do');
SELECT lives_ok('TRUNCATE sched.agents, sched.agent_time_off, sched.project_agents, sched.agent_hours, sched.agent_busy, sched.visit_feedback,
    sched.scheduled_visits, sched.callbacks',
  'with the visits and callbacks in the same statement it can');

SELECT * FROM finish();
ROLLBACK;
