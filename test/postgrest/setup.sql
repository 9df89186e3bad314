-- The documented PostgREST deployment of docs/roles.md ("Customers and
-- agents with their own tokens (1.3)"), plus the back end, the sales
-- team and the worker behind the same PostgREST.  Run as a superuser in
-- the harness's own database (test/postgrest/run.sh).
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE EXTENSION sched;

-- Callback deadlines independent of the hour; one failed delivery makes a
-- job dead (so that retry_job has one to retry).
ALTER DATABASE :"DBNAME" SET sched.business_hours = '00:00-24:00';
ALTER DATABASE :"DBNAME" SET sched.job_max_attempts = 1;

-- Roles are the cluster's, shared with the other client harness
-- (test/postgrest, test/postgraphile) and with a second run: made once,
-- as the documented deployment makes them, then granted in this database.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticator') THEN
    CREATE ROLE authenticator LOGIN NOINHERIT;   -- trust on the cluster's socket; a password in production
  END IF;
END $$;

-- no sched access at all
SELECT 'CREATE ROLE web_anon NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'web_anon') \gexec
-- the customers' tokens
SELECT 'CREATE ROLE web_customer NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'web_customer') \gexec
-- the sales agents' tokens
SELECT 'CREATE ROLE web_agent NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'web_agent') \gexec
-- the sales team's admin screens
SELECT 'CREATE ROLE sales_admin NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sales_admin') \gexec
-- the chat service, which names the user itself
SELECT 'CREATE ROLE chat_backend NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'chat_backend') \gexec
-- a notification worker over HTTP
SELECT 'CREATE ROLE sched_worker NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sched_worker') \gexec
SELECT sched.grant_customer_calls('web_customer');
SELECT sched.grant_agent_calls('web_agent');
SELECT sched.grant_admin_calls('sales_admin');
SELECT sched.grant_user_calls('chat_backend');
SELECT sched.grant_worker_calls('sched_worker');
GRANT web_anon, web_customer, web_agent, sales_admin, chat_backend, sched_worker TO authenticator;

-- A statement_timeout for the customers' role: PostgREST applies it per
-- request (a user-context setting); SET ROLE alone would not.
ALTER ROLE web_customer SET statement_timeout = '10s';

-- Agents X (the only senior: urgent callbacks go to her) and Y log in
-- with their own tokens; Z does not.
INSERT INTO sched.agents (name, phone, email, is_senior, login) VALUES
  ('Priya Sharma', '+91 98765 43211', 'priya@example.com', true,  'auth0|priya'),
  ('Rajesh Kumar', '+91 98765 43212', 'rajesh@example.com', false, 'auth0|rajesh'),
  ('Anita Rao',    '+91 98765 43213', NULL,                 false, NULL);
