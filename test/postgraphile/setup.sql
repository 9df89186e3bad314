-- The deployment of docs/clients/postgraphile.md: the customers' and agents'
-- roles of docs/roles.md ("Customers and agents with their own tokens
-- (1.3)") behind PostGraphile's authenticator.  Run as a superuser in the
-- test's own database (test/postgraphile/run.sh).
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE EXTENSION sched;

-- Callback deadlines independent of the hour.
ALTER DATABASE :"DBNAME" SET sched.business_hours = '00:00-24:00';

-- Roles are the cluster's: start from none (the cluster is throw-away, but
-- the test may be run twice in one).
DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['authenticator', 'web_anon', 'web_customer', 'web_agent'] LOOP
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('DROP OWNED BY %I', r);
      EXECUTE format('DROP ROLE %I', r);
    END IF;
  END LOOP;
END $$;

CREATE ROLE authenticator LOGIN NOINHERIT;   -- trust on the cluster's socket; a password in production
CREATE ROLE web_anon NOLOGIN;                -- requests without a token: no sched access at all
CREATE ROLE web_customer NOLOGIN;            -- the customers' tokens
CREATE ROLE web_agent NOLOGIN;               -- the sales agents' tokens
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
