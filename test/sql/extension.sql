-- The extension installs cleanly, lists its objects, updates, and can be
-- dropped and created again in one session (cached plans follow).
-- From PostgreSQL 17, \dx+ also lists the tables' row types and every
-- type's array type: expected/extension_1.out is that output (update both
-- files when the extension's objects change; make check-matrix runs 17).
CREATE EXTENSION sched;
SELECT extversion FROM pg_extension WHERE extname = 'sched';
\dx+ sched
-- Every function and table carries a comment (psql \df+ and PostgREST show them).
SELECT p.proname
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sched')
   AND obj_description(p.oid, 'pg_proc') IS NULL;
SELECT c.relname
  FROM pg_class c JOIN pg_depend d ON d.objid = c.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sched')
   AND c.relkind = 'r' AND obj_description(c.oid, 'pg_class') IS NULL;
-- Nothing is executable by PUBLIC.
SELECT p.oid::regprocedure AS public_can_execute
  FROM pg_proc p
 WHERE p.pronamespace = 'sched'::regnamespace
   AND has_function_privilege('public', p.oid, 'EXECUTE')
 ORDER BY 1;
-- Settings are reserved and documented (they exist once the library is loaded).
LOAD 'sched';
SELECT name, setting, context, short_desc FROM pg_settings WHERE name LIKE 'sched.%' ORDER BY name;
SET sched.no_such_setting = 1;
ALTER EXTENSION sched UPDATE;
-- Drop and create again in the same session: the saved plans and cached
-- OIDs of the old schema must not be used.
INSERT INTO sched.agents (name, phone) VALUES ('Before Drop', '9876543210');
SELECT agent_id FROM sched.book_site_visit('u', 'P', current_date + 2, 'morning', 'N', '9876543210') \gset
DROP EXTENSION sched;
CREATE EXTENSION sched;
INSERT INTO sched.agents (name, phone) VALUES ('After Drop', '9876543211');
SELECT ref, a.name
  FROM sched.book_site_visit('u', 'P', current_date + 2, 'morning', 'N', '9876543210') v
  JOIN sched.agents a USING (agent_id);
