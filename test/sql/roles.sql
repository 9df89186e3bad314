-- The grant helpers: a user role can book but not administer; an admin
-- role can do both; revoke_calls takes it all back.  Role names that need
-- quoting work.
SET client_min_messages = warning;
CREATE ROLE "Chat App" NOLOGIN;
CREATE ROLE sched_regress_admin NOLOGIN;
SELECT sched.grant_user_calls('"Chat App"');
SELECT sched.grant_admin_calls('sched_regress_admin');
SELECT r.rolname, f.fn,
       has_function_privilege(r.oid, ('sched.' || f.fn)::regprocedure, 'EXECUTE') AS can_execute
  FROM pg_roles r,
       (VALUES ('book_site_visit(text,text,date,sched.time_slot,text,text,text,text,text,integer,text)'),
               ('request_callback(text,text,text,text,sched.urgency,text,text,integer,text)'),
               ('user_schedule(text)'),
               ('list_visits(sched.visit_status,date,date,integer,integer)'),
               ('list_callbacks(sched.callback_status,sched.urgency,integer)'),
               ('set_visit_status(bigint,sched.visit_status,text)'),
               ('set_callback_status(bigint,sched.callback_status,text,integer,text)')) AS f (fn)
 WHERE r.rolname IN ('Chat App', 'sched_regress_admin')
 ORDER BY 1, 2;
SELECT r.rolname, has_table_privilege(r.oid, 'sched.scheduled_visits', 'SELECT') AS can_read,
       has_table_privilege(r.oid, 'sched.scheduled_visits', 'UPDATE') AS can_update
  FROM pg_roles r WHERE r.rolname IN ('Chat App', 'sched_regress_admin') ORDER BY 1;

-- What the roles meet when they call.
SET ROLE "Chat App";
SELECT ref FROM sched.book_site_visit('role_user', 'Brigade Citrine', current_date + 10, 'morning',
                                      'Role User', '9876543201');
SELECT * FROM sched.list_visits();
SELECT count(*) FROM sched.scheduled_visits;
SET sched.max_days_ahead = 365;
RESET ROLE;
SET ROLE sched_regress_admin;
SELECT ref, status FROM sched.list_visits(status => 'pending', agent_id => NULL, max_rows => 1);
SELECT changed_by, to_status FROM sched.status_history WHERE entity_id = (
  SELECT max(visit_id) FROM sched.scheduled_visits) AND entity = 'visit';
UPDATE sched.scheduled_visits SET status = 'confirmed';
RESET ROLE;

SELECT sched.revoke_calls('"Chat App"');
SELECT sched.revoke_calls('sched_regress_admin');
SELECT has_function_privilege('Chat App', 'sched.user_schedule(text)', 'EXECUTE') AS app_after_revoke,
       has_schema_privilege('sched_regress_admin', 'sched', 'USAGE') AS admin_schema_after_revoke;
SELECT sched.grant_user_calls('no_such_role');
DROP ROLE "Chat App";
DROP ROLE sched_regress_admin;
