-- The deployment of docs/clients/postgraphile.md: the customers' and agents'
-- roles of docs/roles.md ("Customers and agents with their own tokens
-- (1.3)") behind PostGraphile's authenticator.  Run as a superuser in the
-- test's own database (test/postgraphile/run.sh).
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE EXTENSION sched;

-- Callback deadlines independent of the hour.
ALTER DATABASE :"DBNAME" SET sched.business_hours = '00:00-24:00';

-- Roles are the cluster's, shared with the other client harness
-- (test/postgrest, test/postgraphile) and with a second run: made once,
-- as the documented deployment makes them, then granted in this database.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticator') THEN
    CREATE ROLE authenticator LOGIN NOINHERIT;   -- trust on the cluster's socket; a password in production
  END IF;
END $$;

-- requests without a token: no sched access at all
SELECT 'CREATE ROLE web_anon NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'web_anon') \gexec
-- the customers' tokens
SELECT 'CREATE ROLE web_customer NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'web_customer') \gexec
-- the sales agents' tokens
SELECT 'CREATE ROLE web_agent NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'web_agent') \gexec
SELECT sched.grant_customer_calls('web_customer');
SELECT sched.grant_agent_calls('web_agent');
GRANT web_anon, web_customer, web_agent TO authenticator;

-- Agents X and Y log in with their own tokens (their "sub" is their
-- login); Z does not.  Only X and Y take visits, so a visit is one of
-- theirs and the other is "another agent".
INSERT INTO sched.agents (name, phone, email, is_senior, login) VALUES
  ('Priya Sharma', '+91 98765 43211', 'priya@example.com', true,  'auth0|priya'),
  ('Rajesh Kumar', '+91 98765 43212', 'rajesh@example.com', false, 'auth0|rajesh');
INSERT INTO sched.agents (name, phone, handles_visits) VALUES
  ('Anita Rao', '+91 98765 43213', false);
