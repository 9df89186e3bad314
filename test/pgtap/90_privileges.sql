-- pgTAP: roles and privileges.  The roles are created inside this file's
-- transaction (and vanish with its ROLLBACK); grants go through the
-- documented helpers sched.grant_user_calls, sched.grant_admin_calls and
-- sched.revoke_calls.
BEGIN;
SELECT plan(60);

LOAD 'sched';
UPDATE sched.agents SET active = false;
-- Bookings and profiles of this file's users left by anything else are
-- set aside (this file's transaction rolls back, so nothing is lost).
DELETE FROM sched.user_profiles WHERE lower(user_id) LIKE 't90\_%';
DELETE FROM sched.scheduled_visits WHERE lower(user_id) LIKE 't90\_%';
DELETE FROM sched.callbacks WHERE lower(user_id) LIKE 't90\_%';
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity) VALUES ('T90 Agent', '9876500091', true, 10);

CREATE ROLE t90_web_user NOLOGIN;
CREATE ROLE t90_sales_admin NOLOGIN;
CREATE ROLE t90_nobody NOLOGIN;
CREATE ROLE "T90 Chat App" NOLOGIN;
CREATE ROLE t90_backend LOGIN IN ROLE t90_web_user;
SELECT sched.grant_user_calls('t90_web_user') IS NULL AS granted \gset
SELECT sched.grant_admin_calls('t90_sales_admin') IS NULL AS granted \gset
SELECT sched.grant_user_calls('"T90 Chat App"') IS NULL AS granted \gset

CREATE TEMP TABLE calls (i int, fn text, admin boolean);
INSERT INTO calls VALUES
  (1, 'sched.book_site_visit(text,text,date,sched.time_slot,text,text,text,text,text,integer,text)', false),
  (2, 'sched.request_callback(text,text,text,text,sched.urgency,text,text,integer,text)', false),
  (3, 'sched.user_schedule(text)', false),
  (4, 'sched.list_visits(sched.visit_status,date,date,integer,integer)', true),
  (5, 'sched.list_callbacks(sched.callback_status,sched.urgency,integer)', true),
  (6, 'sched.set_visit_status(bigint,sched.visit_status,text)', true),
  (7, 'sched.set_callback_status(bigint,sched.callback_status,text,integer,text)', true);
GRANT SELECT ON calls TO PUBLIC;

-- ---------------------------------------------------------------------
-- What the catalog says
-- ---------------------------------------------------------------------
SELECT is_empty(
  $$SELECT p.oid::regprocedure::text FROM pg_proc p
     WHERE p.pronamespace = 'sched'::regnamespace AND has_function_privilege('public', p.oid, 'EXECUTE')$$,
  'PUBLIC may execute no function of sched (calls, grant helpers, trigger functions)');
SELECT ok(NOT has_schema_privilege('public', 'sched', 'USAGE'), 'PUBLIC has no USAGE on schema sched');
SELECT is_empty(
  $$SELECT c.relname::text FROM pg_class c
     WHERE c.relnamespace = 'sched'::regnamespace AND c.relkind IN ('r', 'S')
       AND (has_table_privilege('public', c.oid, 'SELECT') OR has_table_privilege('public', c.oid, 'INSERT')
            OR has_table_privilege('public', c.oid, 'UPDATE') OR has_table_privilege('public', c.oid, 'DELETE'))$$,
  'PUBLIC has no privilege on any table or sequence of sched');
SELECT results_eq(
  $$SELECT i, has_function_privilege('t90_web_user', fn, 'EXECUTE') FROM calls ORDER BY i$$,
  $$VALUES (1, true), (2, true), (3, true), (4, false), (5, false), (6, false), (7, false)$$,
  'the user role may execute the three user calls and none of the four admin calls');
SELECT results_eq(
  $$SELECT i, has_function_privilege('t90_sales_admin', fn, 'EXECUTE') FROM calls ORDER BY i$$,
  $$VALUES (1, true), (2, true), (3, true), (4, true), (5, true), (6, true), (7, true)$$,
  'the admin role may execute all seven calls');
SELECT results_eq(
  $$SELECT i, has_function_privilege('t90_nobody', fn, 'EXECUTE') FROM calls ORDER BY i$$,
  $$VALUES (1, false), (2, false), (3, false), (4, false), (5, false), (6, false), (7, false)$$,
  'a role without grants may execute none of the calls');
SELECT is_empty(
  $$SELECT c.relname::text FROM pg_class c
     WHERE c.relnamespace = 'sched'::regnamespace AND c.relkind IN ('r', 'S')
       AND (has_table_privilege('t90_web_user', c.oid, 'SELECT') OR has_table_privilege('t90_web_user', c.oid, 'INSERT')
            OR has_table_privilege('t90_web_user', c.oid, 'UPDATE') OR has_table_privilege('t90_web_user', c.oid, 'DELETE'))$$,
  'the user role has no privilege on any table or sequence');
SELECT results_eq(
  $$SELECT c.relname::text COLLATE "default", has_table_privilege('t90_sales_admin', c.oid, 'SELECT'),
           has_table_privilege('t90_sales_admin', c.oid, 'INSERT') OR has_table_privilege('t90_sales_admin', c.oid, 'UPDATE')
           OR has_table_privilege('t90_sales_admin', c.oid, 'DELETE') OR has_table_privilege('t90_sales_admin', c.oid, 'TRUNCATE')
      FROM pg_class c WHERE c.relnamespace = 'sched'::regnamespace AND c.relkind = 'r' ORDER BY 1$$,
  $$VALUES ('agent_busy', true, false), ('agent_hours', true, false),
           ('agent_time_off', true, false), ('agents', true, false), ('callbacks', true, false), ('chat_sessions', true, false),
           ('holidays', true, false), ('outbox', true, false), ('project_agents', true, false), ('projects', true, false), ('scheduled_visits', true, false), ('status_history', true, false), ('user_profiles', true, false),
           ('visit_feedback', true, false)$$,
  'the admin role may read every table and write none');
SELECT ok(NOT has_sequence_privilege('t90_sales_admin', 'sched.visit_turn', 'USAGE'),
  'not even the admin role may take round-robin tickets itself');
SELECT ok(has_function_privilege('T90 Chat App', 'sched.user_schedule(text)', 'EXECUTE'),
  'grant_user_calls works for a role name that needs quoting');
SELECT ok(has_function_privilege('t90_backend', 'sched.book_site_visit(text,text,date,sched.time_slot,text,text,text,text,text,integer,text)', 'EXECUTE'),
  'a login role that is a member of the user role inherits the user calls');
SELECT throws_ok($$SELECT sched.grant_user_calls('t90_no_such_role')$$, '42704',
  'role "t90_no_such_role" does not exist', 'granting to a misspelt role fails at once');

-- ---------------------------------------------------------------------
-- The user role at work
-- ---------------------------------------------------------------------
SET ROLE t90_web_user;
SELECT is(current_user::text, 't90_web_user', 'now acting as the user role');
SELECT lives_ok(
  $$SELECT sched.book_site_visit('t90_customer', 'Brigade Citrine', current_date + 2, 'morning',
                                 'Role Customer', '9876543290', idempotency_key => 't90-k1')$$,
  'the user role can book a site visit');
SELECT lives_ok($$SELECT sched.request_callback('t90_customer', 'Role Customer', '9876543290', urgency => 'urgent')$$,
  'the user role can request a callback (an urgent one too)');
SELECT is(jsonb_array_length(sched.user_schedule('t90_customer')->'visits'), 1,
  'the user role can read a user''s schedule');
SELECT is((sched.book_site_visit('t90_customer', 'Brigade Citrine', current_date + 2, 'morning',
                                 'Role Customer', '9876543290', idempotency_key => 't90-k1')).user_id,
  't90_customer', 'the user role can repeat an idempotent booking');
SELECT throws_ok('SELECT * FROM sched.list_visits()', '42501', 'permission denied for function list_visits',
  'the user role may not list visits');
SELECT throws_ok('SELECT * FROM sched.list_callbacks()', '42501', 'permission denied for function list_callbacks',
  'the user role may not list callbacks');
SELECT throws_ok($$SELECT sched.set_visit_status(1, 'confirmed')$$, '42501',
  'permission denied for function set_visit_status', 'the user role may not move a visit');
SELECT throws_ok($$SELECT sched.set_callback_status(1, 'contacted')$$, '42501',
  'permission denied for function set_callback_status', 'the user role may not move a callback');
SELECT throws_ok('SELECT * FROM sched.scheduled_visits', '42501', 'permission denied for table scheduled_visits',
  'the user role may not read the visits table');
SELECT throws_ok('SELECT * FROM sched.callbacks', '42501', 'permission denied for table callbacks',
  'the user role may not read the callbacks table');
SELECT throws_ok('SELECT * FROM sched.user_profiles', '42501', 'permission denied for table user_profiles',
  'the user role may not read profiles');
SELECT throws_ok($$UPDATE sched.scheduled_visits SET status = 'confirmed'$$, '42501',
  'permission denied for table scheduled_visits', 'the user role may not update visits');
SELECT throws_ok($$INSERT INTO sched.agents (name, phone) VALUES ('Sneaky', '9876500099')$$, '42501',
  'permission denied for table agents', 'the user role may not add agents');
SELECT throws_ok($$DELETE FROM sched.outbox$$, '42501', 'permission denied for table outbox',
  'the user role may not delete outbox jobs');
SELECT throws_ok($$SELECT nextval('sched.visit_turn')$$, '42501', 'permission denied for sequence visit_turn',
  'the user role may not skip round-robin turns');
SELECT throws_ok($$SELECT sched.grant_admin_calls('t90_web_user')$$, '42501',
  'permission denied for function grant_admin_calls', 'the user role may not grant itself the admin calls');
SELECT throws_ok($$SELECT sched.visit_guard()$$, '42501', 'permission denied for function visit_guard',
  'the user role may not call a trigger function');
SELECT throws_ok($$SET sched.max_days_ahead = 365$$, '42501',
  'permission denied to set parameter "sched.max_days_ahead"', 'the user role may not widen the booking window');
SELECT throws_ok($$SET sched.default_country_code = '1'$$, '42501',
  'permission denied to set parameter "sched.default_country_code"', 'the user role may not change the country code');
SELECT throws_ok($$SET sched.visit_intent_points = 100$$, '42501',
  'permission denied to set parameter "sched.visit_intent_points"', 'the user role may not change visit intent points');
SELECT throws_ok($$SET sched.callback_intent_points = 100$$, '42501',
  'permission denied to set parameter "sched.callback_intent_points"', 'the user role may not change callback intent points');
SELECT throws_ok(
  $$SELECT sched.book_site_visit('t90_customer', 'Brigade Citrine', current_date + 100, 'morning', 'Role Customer', '9876543290')$$,
  '22023', 'visit_date is more than 90 days ahead', 'the booking window still applies to the user role');
RESET ROLE;

-- changed_by is the calling role, not the function owner
SELECT results_eq(
  $$SELECT h.entity::text, h.changed_by FROM sched.status_history h
     WHERE (h.entity = 'visit' AND h.entity_id IN (SELECT visit_id FROM sched.scheduled_visits WHERE user_id = 't90_customer'))
        OR (h.entity = 'callback' AND h.entity_id IN (SELECT callback_id FROM sched.callbacks WHERE user_id = 't90_customer'))
     ORDER BY h.history_id$$,
  $$VALUES ('visit', 't90_web_user'), ('callback', 't90_web_user')$$,
  'the history records the user role as changed_by, not the owner the functions run as');
SELECT is((SELECT count(*)::int FROM sched.scheduled_visits WHERE user_id = 't90_customer'), 1,
  'the repeated idempotent booking did not book again');

-- A login member of the user role
SET ROLE t90_backend;
SELECT lives_ok(
  $$SELECT sched.book_site_visit('t90_member', 'Brigade Citrine', current_date + 3, 'morning', 'Member', '9876543291')$$,
  'a member of the user role can book');
RESET ROLE;
SELECT is((SELECT h.changed_by FROM sched.status_history h JOIN sched.scheduled_visits v
             ON h.entity = 'visit' AND h.entity_id = v.visit_id WHERE v.user_id = 't90_member'),
  't90_backend', 'changed_by is the member role that called, not the group role');

SET ROLE "T90 Chat App";
SELECT lives_ok($$SELECT sched.request_callback('t90_quoted', 'Quoted', '9876543292')$$,
  'a role whose name needs quoting can request a callback');
RESET ROLE;
SELECT is((SELECT h.changed_by FROM sched.status_history h JOIN sched.callbacks c
             ON h.entity = 'callback' AND h.entity_id = c.callback_id WHERE c.user_id = 't90_quoted'),
  'T90 Chat App', 'changed_by holds the role name as it is, unquoted');

-- ---------------------------------------------------------------------
-- The admin role at work
-- ---------------------------------------------------------------------
SELECT visit_id AS v FROM sched.scheduled_visits WHERE user_id = 't90_customer' \gset
SELECT callback_id AS c FROM sched.callbacks WHERE user_id = 't90_customer' \gset
SET ROLE t90_sales_admin;
SELECT results_eq($$SELECT user_id FROM sched.list_visits(status => 'pending') WHERE user_id = 't90_customer'$$,
  $$VALUES ('t90_customer')$$, 'the admin role can list visits');
SELECT results_eq($$SELECT user_id FROM sched.list_callbacks(urgency => 'urgent') WHERE user_id = 't90_customer'$$,
  $$VALUES ('t90_customer')$$, 'the admin role can list callbacks');
SELECT is((sched.set_visit_status(:v, 'confirmed', 'Confirmed by phone')).status, 'confirmed'::sched.visit_status,
  'the admin role can confirm a visit');
SELECT is((sched.set_callback_status(:c, 'contacted', 'Spoke', 120, 'interested')).status,
  'contacted'::sched.callback_status, 'the admin role can record a call');
SELECT lives_ok($$SELECT sched.book_site_visit('t90_admin_booking', 'P', current_date + 4, 'morning', 'Admin', '9876543293')$$,
  'the admin role can book too');
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE entity = 'visit' AND entity_id = :v AND template = 'visit_confirmed'), 1,
  'the admin role can read the outbox');
SELECT throws_ok(format($$UPDATE sched.scheduled_visits SET status = 'completed' WHERE visit_id = %s$$, :v), '42501',
  'permission denied for table scheduled_visits', 'the admin role may not update the table directly (only through the calls)');
SELECT throws_ok($$DELETE FROM sched.status_history$$, '42501', 'permission denied for table status_history',
  'the admin role may not delete history');
SELECT throws_ok($$UPDATE sched.agents SET active = true$$, '42501', 'permission denied for table agents',
  'the admin role may not change agents');
SELECT throws_ok($$SET sched.max_days_ahead = 365$$, '42501',
  'permission denied to set parameter "sched.max_days_ahead"', 'the admin role may not change the settings either');
RESET ROLE;
SELECT results_eq(
  format($$SELECT h.entity::text, h.from_status, h.to_status, h.changed_by, h.note FROM sched.status_history h
            WHERE (h.entity = 'visit' AND h.entity_id = %s) OR (h.entity = 'callback' AND h.entity_id = %s)
            ORDER BY h.history_id$$, :v, :c),
  $$VALUES ('visit', NULL, 'pending', 't90_web_user', NULL), ('callback', NULL, 'pending', 't90_web_user', NULL),
           ('visit', 'pending', 'confirmed', 't90_sales_admin', 'Confirmed by phone'),
           ('callback', 'pending', 'contacted', 't90_sales_admin', 'Spoke')$$,
  'the admin''s moves are recorded with the admin role as changed_by');

-- ---------------------------------------------------------------------
-- A role without grants, and revoke_calls
-- ---------------------------------------------------------------------
SET ROLE t90_nobody;
SELECT throws_ok($$SELECT sched.book_site_visit('t90_x', 'P', current_date + 2, 'morning', 'X', '9876543294')$$,
  '42501', 'permission denied for schema sched', 'a role without grants cannot book');
SELECT throws_ok($$SELECT sched.user_schedule('t90_customer')$$, '42501', 'permission denied for schema sched',
  'a role without grants cannot read a schedule');
SELECT throws_ok($$SELECT count(*) FROM sched.agents$$, '42501', 'permission denied for schema sched',
  'a role without grants cannot see the tables');
RESET ROLE;

SELECT sched.revoke_calls('t90_web_user') IS NULL AS revoked \gset
SELECT sched.revoke_calls('t90_sales_admin') IS NULL AS revoked \gset
SELECT results_eq(
  $$SELECT i, has_function_privilege('t90_web_user', fn, 'EXECUTE') OR has_function_privilege('t90_sales_admin', fn, 'EXECUTE')
      FROM calls ORDER BY i$$,
  $$VALUES (1, false), (2, false), (3, false), (4, false), (5, false), (6, false), (7, false)$$,
  'after revoke_calls neither role may execute any call');
SELECT ok(NOT has_schema_privilege('t90_sales_admin', 'sched', 'USAGE') AND NOT has_schema_privilege('t90_web_user', 'sched', 'USAGE'),
  'after revoke_calls neither role has USAGE on sched');
SELECT ok(NOT has_table_privilege('t90_sales_admin', 'sched.scheduled_visits', 'SELECT'),
  'after revoke_calls the admin role may not read the tables');
SELECT ok(has_function_privilege('T90 Chat App', 'sched.user_schedule(text)', 'EXECUTE'),
  'revoking one role leaves the others alone');
SET ROLE t90_backend;
SELECT throws_ok($$SELECT sched.book_site_visit('t90_member', 'P', current_date + 3, 'evening', 'Member', '9876543291')$$,
  '42501', 'permission denied for schema sched', 'after revoke_calls the member role cannot book either');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
