-- Benchmark set-up: 50 agents with ample capacity (10 of them senior),
-- and pending visits for the status-change runs (loaded with triggers off,
-- as imports, so that the load itself is quick).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS sched;
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity)
SELECT 'Agent ' || i, '+9198765' || lpad(i::text, 5, '0'), i % 5 = 0, 1000000
  FROM generate_series(1, 50) AS i;
-- the customers' role of book_my_visit (1.3), as PostgREST switches to it
CREATE ROLE bench_customer NOLOGIN;
SELECT sched.grant_customer_calls('bench_customer');
SET session_replication_role = replica;
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name,
                                    contact_phone, agent_id, status, ref)
SELECT 'status_user_' || i, 'Brigade Citrine', current_date + 2 + i % 60,
       (ARRAY['morning','afternoon','evening'])[1 + i % 3]::sched.time_slot,
       'Status Customer', '+919876543210', 1 + i % 50, 'pending', 'visit_status_' || i
  FROM generate_series(1, :status_rows) AS i;
RESET session_replication_role;
-- The status runs take visits in id order: the floor from the first half,
-- the workload from the second.
CREATE SEQUENCE public.bench_floor_visit;
CREATE SEQUENCE public.bench_workload_visit START :half_plus_one;
VACUUM ANALYZE;
