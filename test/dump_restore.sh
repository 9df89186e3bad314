#!/usr/bin/env bash
# pg_dump / pg_restore keep everything: agents, bookings, history, outbox,
# profiles, feedback, leave, project lists, the id and round-robin
# sequences, and the grants a DBA made;
# the restore itself assigns nobody, queues no message and sends no
# NOTIFY (restored rows carry their old created_at: they are imports).
# Run inside a cluster (test/run-in-cluster.sh).
set -euo pipefail

src=sched_dump_src
dst=sched_dump_dst
dump=$(mktemp /tmp/sched-dump.XXXXXX)
trap 'rm -f "$dump"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

dropdb --if-exists "$src"
dropdb --if-exists "$dst"
createdb "$src"
q -d "$src" >/dev/null <<'SQL'
CREATE EXTENSION sched;
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sched_dump_app') THEN
    CREATE ROLE sched_dump_app NOLOGIN;
  END IF;
END $$;
SELECT sched.grant_user_calls('sched_dump_app');
INSERT INTO sched.agents (name, phone, email, is_senior, slot_capacity) VALUES
  ('Rajesh Kumar', '9876543210', 'rajesh@example.com', true, 2),
  ('Priya Sharma', '9876543211', 'priya@example.com', false, 1),
  ('Amit Patel', '9876543212', NULL, true, 1);
SELECT count(*) FROM (
  SELECT sched.book_site_visit('user_' || i, 'Brigade Citrine', current_date + 2 + i % 5,
                               (ARRAY['morning','afternoon','evening'])[1 + i % 3]::sched.time_slot,
                               'Customer ' || i, '98765430' || lpad(i::text, 2, '0'),
                               CASE WHEN i % 2 = 0 THEN 'c' || i || '@example.com' END,
                               lead_score => i)
    FROM generate_series(1, 20) AS i) s;
SELECT count(*) FROM (
  SELECT sched.request_callback('user_' || i, 'Customer ' || i, '98765431' || lpad(i::text, 2, '0'),
                                'question ' || i, (ARRAY['urgent','high','medium','low'])[1 + i % 4]::sched.urgency)
    FROM generate_series(1, 12) AS i) s;
SELECT count(*) FROM (SELECT sched.set_visit_status(v, 'confirmed', 'called') FROM generate_series(1, 8) v) s;
SELECT count(*) FROM (SELECT sched.set_visit_status(v, 'completed') FROM generate_series(1, 4) v) s;
SELECT count(*) FROM (SELECT sched.set_visit_status(v, 'cancelled') FROM generate_series(9, 10) v) s;
SELECT count(*) FROM (SELECT sched.set_callback_status(c, 'no_answer') FROM generate_series(1, 6) c) s;
SELECT count(*) FROM (SELECT sched.set_callback_status(c, 'contacted', call_duration_s => 60) FROM generate_series(1, 3) c) s;
-- sent jobs: pending -> claimed -> done, the moves a worker makes (1.3 checks them)
UPDATE sched.outbox SET state = 'claimed' WHERE job_id % 3 = 0 AND state = 'pending';
UPDATE sched.outbox SET state = 'done' WHERE job_id % 3 = 0 AND state = 'claimed';
-- 1.1: feedback, a daily cap, a project's list and leave (the leave keeps
-- agent 1 out of the booking made after the restore, below)
SELECT count(*) FROM (SELECT sched.record_feedback(v, 1 + v % 5, 'visit ' || v) FROM generate_series(1, 4) v) s;
UPDATE sched.agents SET daily_visit_cap = 4 WHERE agent_id = 2;
INSERT INTO sched.project_agents (project, agent_id) VALUES ('Prestige Lakeside', 2), ('Prestige Lakeside', 3);
INSERT INTO sched.agent_time_off (agent_id, starts_at, ends_at, reason)
SELECT 1, starts_at - interval '1 day', ends_at, 'conference' FROM sched.slot_bounds(current_date + 7, 'evening');
SQL

fingerprint() {
  q -d "$1" <<'SQL'
SELECT 'agents ' || md5(string_agg(t::text, '|' ORDER BY agent_id)) FROM sched.agents t;
SELECT 'visits ' || md5(string_agg(t::text, '|' ORDER BY visit_id)) FROM sched.scheduled_visits t;
SELECT 'callbacks ' || md5(string_agg(t::text, '|' ORDER BY callback_id)) FROM sched.callbacks t;
SELECT 'profiles ' || md5(string_agg(t::text, '|' ORDER BY user_id)) FROM sched.user_profiles t;
SELECT 'history ' || md5(string_agg(t::text, '|' ORDER BY history_id)) FROM sched.status_history t;
SELECT 'outbox ' || md5(string_agg(t::text, '|' ORDER BY job_id)) FROM sched.outbox t;
SELECT 'feedback ' || md5(string_agg(t::text, '|' ORDER BY visit_id)) FROM sched.visit_feedback t;
SELECT 'leave ' || md5(string_agg(t::text, '|' ORDER BY time_off_id)) FROM sched.agent_time_off t;
SELECT 'project agents ' || string_agg(t::text, '|' ORDER BY project, agent_id) FROM sched.project_agents t;
SELECT 'counts ' || (SELECT count(*) FROM sched.scheduled_visits) || ' ' || (SELECT count(*) FROM sched.callbacks)
       || ' ' || (SELECT count(*) FROM sched.status_history) || ' ' || (SELECT count(*) FROM sched.outbox);
SELECT 'sequences ' || string_agg(format('%s=%s/%s', s.relname, pg_sequence_last_value(s.oid), s.relname), ' ' ORDER BY s.relname)
  FROM pg_class s WHERE s.relkind = 'S' AND s.relnamespace = 'sched'::regnamespace;
SELECT 'app can book ' || has_function_privilege('sched_dump_app',
  'sched.book_site_visit(text,text,date,sched.time_slot,text,text,text,text,text,integer,text)', 'EXECUTE')
  || ', list ' || has_function_privilege('sched_dump_app',
  'sched.list_visits(sched.visit_status,date,date,integer,integer)', 'EXECUTE');
SQL
}

pg_dump -Fc -f "$dump" "$src"
createdb "$dst"
pg_restore --exit-on-error -d "$dst" "$dump"

before=$(fingerprint "$src")
after=$(fingerprint "$dst")
if [ "$before" != "$after" ]; then
  echo "dump_restore: the restored database differs" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  exit 1
fi
echo "$after" | grep -q '^counts 20 12 ' || { echo "dump_restore: unexpected counts: $after" >&2; exit 1; }
echo "$after" | grep -q '^app can book true, list false$' || { echo "dump_restore: grants lost: $after" >&2; exit 1; }
echo "$after" | grep -q '^project agents ("Prestige Lakeside",2)|("Prestige Lakeside",3)$' || { echo "dump_restore: project lists lost: $after" >&2; exit 1; }

# The restored database carries on: ids and turns continue where they were.
next=$(q -d "$dst" -c "SELECT visit_id || ' ' || agent_id FROM sched.book_site_visit('after_restore', 'Brigade Citrine', current_date + 7, 'evening', 'After Restore', '9876543299')")
expected_next=$(q -d "$src" -c "SELECT visit_id || ' ' || agent_id FROM sched.book_site_visit('after_restore', 'Brigade Citrine', current_date + 7, 'evening', 'After Restore', '9876543299')")
if [ "$next" != "$expected_next" ]; then
  echo "dump_restore: after restore the next booking is '$next', the source gives '$expected_next'" >&2
  exit 1
fi
case "$next" in
  *' 1') echo "dump_restore: after restore agent 1, on leave, was given a visit" >&2; exit 1 ;;
esac
echo "dump_restore: ok ($(echo "$after" | grep '^counts'), next booking $next)"
dropdb "$src"
dropdb "$dst"
