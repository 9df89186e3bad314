-- Run by test/notifier.sh in a cluster with shared_preload_libraries =
-- sched, where the NOTIFYs come from the notifier worker.  The script
-- replaces this session's PID with SELF and any other with WORKER.
-- Actions and waits print nothing (DO blocks), so each notification
-- shows in the same place however fast it arrives.
\set QUIET on
SET client_min_messages = warning;
CREATE EXTENSION sched;
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('Agent A', '9876543210', 100);
\pset tuples_only on
SELECT 'SELF: ' || pg_backend_pid();
\pset tuples_only off
LISTEN sched;

\echo -- a booking and a callback, committed: both heard, from the worker
DO $$ BEGIN
  PERFORM sched.book_site_visit('u1', 'Brigade Citrine', current_date + 2, 'morning', 'One', '9876543221');
  COMMIT;
  PERFORM sched.request_callback('u1', 'One', '9876543221', urgency => 'low');
END $$;
DO $$ BEGIN PERFORM pg_sleep(0.5); END $$;

\echo -- rolled back: nothing heard
BEGIN;
DO $$ BEGIN
  PERFORM sched.book_site_visit('u2', 'Brigade Citrine', current_date + 2, 'morning', 'Two', '9876543222');
END $$;
ROLLBACK;
DO $$ BEGIN PERFORM pg_sleep(0.5); END $$;

\echo -- a savepoint rolled back drops the notification of its booking, the rest is heard
BEGIN;
DO $$ BEGIN
  PERFORM sched.book_site_visit('u3', 'Brigade Citrine', current_date + 2, 'morning', 'Three', '9876543223');
END $$;
SAVEPOINT s;
DO $$ BEGIN
  PERFORM sched.book_site_visit('u4', 'Brigade Citrine', current_date + 2, 'morning', 'Four', '9876543224');
END $$;
ROLLBACK TO SAVEPOINT s;
SAVEPOINT t;
DO $$ BEGIN PERFORM sched.set_visit_status(1, 'confirmed'); END $$;
RELEASE SAVEPOINT t;
COMMIT;
DO $$ BEGIN PERFORM pg_sleep(0.5); END $$;

\echo -- the same change twice, from two transactions: heard twice
DO $$
DECLARE c bigint;
BEGIN
  SELECT callback_id INTO c FROM sched.request_callback('u7', 'Seven', '9876543227', urgency => 'low');
  COMMIT;
  PERFORM sched.set_callback_status(c, 'no_answer');
  COMMIT;
  PERFORM sched.set_callback_status(c, 'no_answer');
  COMMIT;
  PERFORM sched.set_callback_status(c, 'no_answer');
END $$;
DO $$ BEGIN PERFORM pg_sleep(0.5); END $$;

\echo -- a prepared transaction cannot carry bookings, as with NOTIFY
BEGIN;
DO $$ BEGIN
  PERFORM sched.book_site_visit('u5', 'Brigade Citrine', current_date + 2, 'morning', 'Five', '9876543225');
END $$;
PREPARE TRANSACTION 'sched_notifier_test';
SELECT count(*) AS prepared FROM pg_prepared_xacts;

\echo -- the worker shows in pg_stat_activity while it runs (it leaves after a second idle)
UNLISTEN sched;
DO $$ BEGIN
  PERFORM sched.book_site_visit('u6', 'Brigade Citrine', current_date + 2, 'morning', 'Six', '9876543226');
END $$;
DO $$ BEGIN PERFORM pg_sleep(0.2); END $$;
SELECT backend_type, application_name FROM pg_stat_activity WHERE backend_type = 'sched notifier';
