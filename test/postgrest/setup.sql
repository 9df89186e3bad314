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

-- Roles are the cluster's: start from none (the cluster is throw-away, but
-- the harness may be run twice in one).
DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['authenticator', 'web_anon', 'web_customer', 'web_agent',
                           'sales_admin', 'chat_backend', 'sched_worker'] LOOP
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('DROP OWNED BY %I', r);
      EXECUTE format('DROP ROLE %I', r);
    END IF;
  END LOOP;
END $$;

CREATE ROLE authenticator LOGIN NOINHERIT;   -- trust on the cluster's socket; a password in production
CREATE ROLE web_anon NOLOGIN;                -- no sched access at all
CREATE ROLE web_customer NOLOGIN;            -- the customers' tokens
CREATE ROLE web_agent NOLOGIN;               -- the sales agents' tokens
CREATE ROLE sales_admin NOLOGIN;             -- the sales team's admin screens
CREATE ROLE chat_backend NOLOGIN;            -- the chat service, which names the user itself
CREATE ROLE sched_worker NOLOGIN;            -- a notification worker over HTTP
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
