#!/usr/bin/env bash
# The reference worker (worker/sched_worker.py) against a real database,
# connected as a role that has only sched.grant_worker_calls: it sends
# every due job once, never a reminder of a cancelled visit, and, running
# as a daemon, is woken by NOTIFY and sends a new booking's messages.  Run
# inside a cluster (test/run-in-cluster.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. test/worker/lib.sh

db=sched_worker_test
work=$(mktemp -d /tmp/sched-worker.XXXXXX)
trap 'kill "$daemon" 2>/dev/null || true; rm -rf "$work"' EXIT
daemon=
fail() { echo "worker: $*" >&2; exit 1; }

worker_db
q >/dev/null <<'SQL'
-- the bookings write their reminders (sched.reminder_horizon: pgTAP 115)
SET sched.reminder_horizon = '30 days';
SELECT sched.book_site_visit('u1', 'Brigade Citrine', current_date + 5, 'morning', 'John Doe', '9876543210', 'john@example.com');
SELECT sched.book_site_visit('u2', 'Brigade Citrine', current_date + 5, 'evening', 'Asha Rao', '9876543220');
SELECT sched.cancel_visit(2, 'travelling');
-- the day-before reminders of both visits fall due now
UPDATE sched.outbox SET run_at = now() - interval '1 minute' WHERE template = 'visit_reminder_24h';
SQL
dsn="dbname=$db user=sched_worker_test password=worker-test"

/usr/bin/python3 worker/sched_worker.py --dsn "$dsn" --once --log "$work/sent.jsonl" --name test-worker > "$work/out"
grep -qx "sched_worker: sent 9" "$work/out" || fail "expected 9 sent, got: $(cat "$work/out")"
[ "$(wc -l < "$work/sent.jsonl")" -eq 9 ] || fail "the log has $(wc -l < "$work/sent.jsonl") lines, not 9"
# visit 1: booked sms+email, assigned, 24h reminder sms+email; visit 2: booked sms, assigned, cancelled sms+agent
got=$(/usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1]):
    j = json.loads(line)
    print(j["template"], j["channel"])' "$work/sent.jsonl" | sort | tr '\n' ';')
want="visit_assigned agent;visit_assigned agent;visit_booked email;visit_booked sms;visit_booked sms;visit_cancelled agent;visit_cancelled sms;visit_reminder_24h email;visit_reminder_24h sms;"
[ "$got" = "$want" ] || fail "sent $got, expected $want"
grep -q '"body": "Site visit booked: Brigade Citrine' "$work/sent.jsonl" || fail "the booking sms text is not the rendered one"
grep -q '"subject": "Site visit scheduled: Brigade Citrine' "$work/sent.jsonl" || fail "the booking email has no subject"
[ "$(q -c "SELECT count(*) FROM sched.outbox WHERE state = 'done' AND claimed_by = 'test-worker'")" -eq 9 ] ||
  fail "not every sent job is done"
[ "$(q -c "SELECT string_agg(state::text, ',' ORDER BY job_id) FROM sched.outbox WHERE entity_id = 2 AND template LIKE 'visit_reminder%'")" = "cancelled,cancelled" ] ||
  fail "the cancelled visit's reminders are not cancelled"
/usr/bin/python3 worker/sched_worker.py --dsn "$dsn" --once --log "$work/sent.jsonl" > "$work/out"
grep -qx "sched_worker: sent 0" "$work/out" || fail "a second run sent again: $(cat "$work/out")"

# As a daemon: a new booking's NOTIFY wakes it (the poll is far longer
# than the wait below).
/usr/bin/python3 worker/sched_worker.py --dsn "$dsn" --poll 600 --log "$work/sent.jsonl" > "$work/daemon.out" 2>&1 &
daemon=$!
sleep 1
q -c "SELECT sched.book_site_visit('u3', 'Brigade Citrine', current_date + 6, 'morning', 'Third', '9876543230')" >/dev/null
for _ in $(seq 1 50); do
  [ "$(q -c "SELECT count(*) FROM sched.outbox WHERE entity_id = 3 AND state = 'done'")" -eq 2 ] && break
  sleep 0.1
done
[ "$(q -c "SELECT count(*) FROM sched.outbox WHERE entity_id = 3 AND state = 'done'")" -eq 2 ] ||
  fail "the daemon did not send the new booking's messages within 5 seconds"
# The connection drops (a restart, a failover): the daemon connects again
# and reads the outbox before it waits, so a booking committed while it
# was away (its NOTIFY heard by nobody) is sent all the same.
q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'sched_worker_test'" >/dev/null
q -c "SELECT sched.book_site_visit('u4', 'Brigade Citrine', current_date + 6, 'evening', 'Fourth', '9876543240')" >/dev/null
for _ in $(seq 1 100); do
  [ "$(q -c "SELECT count(*) FROM sched.outbox WHERE entity_id = 4 AND state = 'done'")" -eq 2 ] && break
  sleep 0.1
done
[ "$(q -c "SELECT count(*) FROM sched.outbox WHERE entity_id = 4 AND state = 'done'")" -eq 2 ] ||
  fail "after its connection was cut the daemon did not send the booking made meanwhile within 10 seconds: $(cat "$work/daemon.out")"
grep -q "connection lost" "$work/daemon.out" || fail "the daemon did not notice its connection was cut"
kill "$daemon"; daemon=
echo "worker: ok (sent 9 due jobs once, no cancelled reminder, woken by NOTIFY, reconnected and caught up after its connection was cut)"
dropdb "$db"
