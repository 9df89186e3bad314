#!/usr/bin/env bash
# test/crash.sh: sched's invariants survive kill -9.
#
#   test/crash.sh [ROUNDS]      (default 3; make check-faults runs more)
#
# Starts its own throw-away cluster (as test/cluster.sh does: the postgres
# user, a private socket directory, no TCP port) with
# shared_preload_libraries = 'sched', so the notifier worker runs, and
# fsync on.  Run it directly, not inside test/cluster.sh: it kills and
# restarts the postmaster itself.
#
# Each round runs a mixed load from 16 clients (test/crash/load.py:
# bookings, callbacks, moves to confirmed; each call's id is recorded
# client-side once the call has returned, that is once its commit was
# acknowledged) and, in the middle of it, kill -9s in turn
#
#   1. the postmaster (its backends die with it; pg_ctl start recovers),
#   2. one client backend busy booking (the postmaster restarts them all),
#   3. the "sched notifier" background worker (likewise),
#
# and so on round after round.  After the restart, one line per check:
# every acknowledged visit, callback and move is there; every visit and
# callback has its one creation history row and its creation jobs in the
# outbox (docs/api.md "Jobs per event"), every confirmed visit its move's;
# no agent is over slot_capacity; user_profiles' counters equal the real
# counts (all bookings ever: counters only grow); and a new booking's
# NOTIFY reaches a LISTEN sched session.  Exit status 1 if any fails.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
load_seconds=${CRASH_LOAD_SECONDS:-5}
clients=16

bindir=$(pg_config --bindir)
work=$(mktemp -d /tmp/sched-crash.XXXXXX)
chmod 755 "$work"
as_server=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$work"
  as_server=(runuser -u postgres --)
fi
server_env=(PATH="$bindir:/usr/bin:/bin" LANG=C.UTF-8 MALLOC_PERTURB_=165)
data=$work/data
db=sched_crash
export PATH="$bindir:$PATH" PGHOST="$work" PGPORT=5432 PGUSER=postgres PGDATABASE=$db
failed=0

pgctl() { "${as_server[@]}" env "${server_env[@]}" pg_ctl -D "$data" "$@"; }

cleanup() {
  local rc=$?
  [ -n "${load_pid:-}" ] && kill "$load_pid" 2>/dev/null || true
  if [ -f "$data/postmaster.pid" ]; then
    pgctl -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ $rc -ne 0 ] && [ -f "$work/server.log" ]; then
    echo "*** server log (last 40 lines) ***" >&2
    tail -40 "$work/server.log" >&2
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The server up and taking connections: after kill -9 of the postmaster,
# pg_ctl start is refused while its orphaned backends still hold the
# shared memory, so try again for a while.
server_up() {
  local i
  for i in $(seq 1 100); do
    if pg_isready -q -d postgres; then return 0; fi
    if ! pgctl status >/dev/null 2>&1; then
      pgctl -l "$work/server.log" -w -t 30 start >/dev/null 2>&1 || true
    fi
    sleep 0.2
  done
  echo "crash: the server did not come back" >&2
  return 1
}

"${as_server[@]}" env "${server_env[@]}" initdb -D "$data" -U postgres -A trust -E UTF8 \
  --locale=C.UTF-8 --no-sync >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
{
  echo "listen_addresses = ''"
  echo "unix_socket_directories = '$work'"
  echo "shared_preload_libraries = 'sched'"
  echo "fsync = on"
  echo "restart_after_crash = on"
  echo "max_connections = 40"
} >>"$data/postgresql.conf"
pgctl -l "$work/server.log" -w -t 60 start >/dev/null

createdb -U postgres -d postgres "$db" 2>/dev/null || createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
CREATE EXTENSION sched;
-- independent of the time of day: no business hours to slip into
ALTER DATABASE $db SET sched.business_hours = '00:00-24:00';
-- three agents of two places each: 6 places a slot, so some slots fill
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity) VALUES
  ('Agent A', '9876543210', true, 2), ('Agent B', '9876543211', false, 2),
  ('Agent C', '9876543212', false, 2);
-- (the load also cancels visits, which frees places again)
CREATE TABLE public.crash_ack (kind text NOT NULL, id bigint NOT NULL);
SQL
ack=$work/ack.csv
: >"$ack"

check() { # name, SQL giving the number of offenders, what they are[, detail SQL]
  local name=$1 sql=$2 what=$3 detail=${4:-} n
  if ! n=$(psql -X -At -v ON_ERROR_STOP=1 -c "$sql" 2>&1); then
    echo "  FAIL $name: $n"; failed=1; return
  fi
  if [ "$n" = 0 ]; then
    echo "  ok   $name"
  else
    echo "  FAIL $name: $n $what"; failed=1
    [ -z "$detail" ] || psql -X -c "$detail" 2>&1 | head -20 | sed 's/^/       /'
  fi
}

kinds=(postmaster backend notifier)
start=$SECONDS
for round in $(seq 1 "$rounds"); do
  kind=${kinds[$(((round - 1) % 3))]}
  echo "round $round: kill -9 of the $kind during the load (at $((SECONDS - start)) s)"
  server_up
  log_at=$(stat -c %s "$work/server.log")
  /usr/bin/python3 test/crash/load.py load "$load_seconds" "$clients" "$ack" >"$work/load.out" 2>&1 &
  load_pid=$!
  sleep 2
  victim=
  case $kind in
    postmaster)
      victim=$(head -1 "$data/postmaster.pid") ;;
    backend)
      for i in $(seq 1 20); do
        victim=$(psql -X -At -c "SELECT pid FROM pg_stat_activity
                   WHERE backend_type = 'client backend' AND datname = '$db'
                     AND pid <> pg_backend_pid() AND query LIKE '%book_site_visit%'
                   ORDER BY state = 'active' DESC LIMIT 1" 2>/dev/null || true)
        [ -n "$victim" ] && break
        sleep 0.1
      done ;;
    notifier)
      for i in $(seq 1 40); do
        victim=$(psql -X -At -c "SELECT pid FROM pg_stat_activity
                   WHERE backend_type = 'sched notifier' LIMIT 1" 2>/dev/null || true)
        [ -n "$victim" ] && break
        sleep 0.1
      done ;;
  esac
  if [ -z "$victim" ]; then
    echo "  FAIL kill: no $kind to kill"; failed=1
  else
    kill -9 "$victim"
    echo "  killed $kind (pid $victim)"
  fi
  if [ "$kind" = postmaster ]; then
    sleep 0.5
    server_up
  fi
  load_rc=0
  wait "$load_pid" || load_rc=$?
  load_pid=
  sed 's/^/  /' "$work/load.out"
  [ $load_rc -eq 0 ] || { echo "  FAIL load: unexpected errors"; failed=1; }
  server_up
  recovered=$(tail -c +"$((log_at + 1))" "$work/server.log" |
    grep -c "all server processes terminated; reinitializing\|database system was interrupted" || true)
  if [ "$recovered" -gt 0 ]; then
    echo "  ok   crash recovery (server log)"
  else
    echo "  FAIL crash recovery: the server log shows none after the kill"; failed=1
  fi

  psql -X -q -v ON_ERROR_STOP=1 -c "TRUNCATE public.crash_ack" \
       -c "\\copy public.crash_ack FROM '$ack' WITH (FORMAT csv)"

  check "acknowledged bookings present" "
    SELECT (SELECT count(*) FROM public.crash_ack a
             WHERE a.kind = 'visit' AND NOT EXISTS (SELECT FROM sched.scheduled_visits v WHERE v.visit_id = a.id))
         + (SELECT count(*) FROM public.crash_ack a
             WHERE a.kind = 'callback' AND NOT EXISTS (SELECT FROM sched.callbacks c WHERE c.callback_id = a.id))" \
    "acknowledged visits or callbacks are missing"
  check "acknowledged moves present" "
    SELECT (SELECT count(*) FROM public.crash_ack a
             WHERE a.kind = 'confirm' AND NOT EXISTS (
                   SELECT FROM sched.scheduled_visits v
                    WHERE v.visit_id = a.id AND v.confirmed_at IS NOT NULL))
         + (SELECT count(*) FROM public.crash_ack a
             WHERE a.kind = 'cancel' AND NOT EXISTS (
                   SELECT FROM sched.scheduled_visits v
                    WHERE v.visit_id = a.id AND v.status = 'cancelled'))" \
    "acknowledged moves to confirmed or cancelled are lost"
  check "creation history rows" "
    WITH b AS (SELECT 'visit'::sched.entity AS entity, visit_id AS id FROM sched.scheduled_visits
               UNION ALL SELECT 'callback', callback_id FROM sched.callbacks),
         h AS (SELECT entity, entity_id AS id, count(*) AS n FROM sched.status_history
                WHERE from_status IS NULL GROUP BY 1, 2)
    SELECT count(*) FROM b FULL JOIN h USING (entity, id) WHERE h.n IS DISTINCT FROM 1 OR b.id IS NULL" \
    "bookings without exactly one creation history row (or rows without a booking)"
  check "move history rows" "
    WITH h AS (SELECT entity_id AS visit_id,
                      bool_or(to_status = 'confirmed') AS confirmed,
                      bool_or(to_status = 'cancelled') AS cancelled
                 FROM sched.status_history WHERE entity = 'visit' GROUP BY 1)
    SELECT count(*) FROM sched.scheduled_visits v LEFT JOIN h USING (visit_id)
     WHERE (v.confirmed_at IS NOT NULL) IS DISTINCT FROM h.confirmed
        OR (v.status = 'cancelled') IS DISTINCT FROM h.cancelled" \
    "visits whose status moves and history rows disagree"
  # the jobs each booking must have (docs/api.md "Jobs per event"), against
  # those it has: counted, then listed when they differ
  jobs="
    WITH want AS (
      SELECT 'visit'::sched.entity AS entity, visit_id AS id, 'sms'::sched.channel AS channel, 'visit_booked' AS template
        FROM sched.scheduled_visits
      UNION ALL SELECT 'visit', visit_id, 'email', 'visit_booked'
        FROM sched.scheduled_visits WHERE contact_email IS NOT NULL
      UNION ALL SELECT 'visit', visit_id, 'agent', 'visit_assigned'
        FROM sched.scheduled_visits WHERE agent_id IS NOT NULL
      UNION ALL SELECT 'visit', visit_id, 'sms', 'visit_confirmed'
        FROM sched.scheduled_visits WHERE confirmed_at IS NOT NULL
      UNION ALL SELECT 'visit', visit_id, 'email', 'visit_confirmed'
        FROM sched.scheduled_visits WHERE confirmed_at IS NOT NULL AND contact_email IS NOT NULL
      UNION ALL SELECT 'visit', visit_id, c.channel, 'visit_cancelled'
        FROM sched.scheduled_visits, LATERAL (VALUES ('sms'::sched.channel), ('email'), ('agent')) c(channel)
       WHERE status = 'cancelled'
         AND (c.channel <> 'email' OR contact_email IS NOT NULL)
         AND (c.channel <> 'agent' OR agent_id IS NOT NULL)
      UNION ALL SELECT 'visit', visit_id, 'sms', 'visit_reminder_24h'
        FROM sched.scheduled_visits WHERE user_id <> 'notify_probe'
      UNION ALL SELECT 'visit', visit_id, 'email', 'visit_reminder_24h'
        FROM sched.scheduled_visits WHERE user_id <> 'notify_probe' AND contact_email IS NOT NULL
      UNION ALL SELECT 'visit', visit_id, 'sms', 'visit_reminder_1h'
        FROM sched.scheduled_visits WHERE user_id <> 'notify_probe'
      UNION ALL SELECT 'callback', callback_id, 'sms', 'callback_requested' FROM sched.callbacks
      UNION ALL SELECT 'callback', callback_id, 'email', 'callback_requested'
        FROM sched.callbacks WHERE contact_email IS NOT NULL
      UNION ALL SELECT 'callback', callback_id, 'agent', 'callback_assigned'
        FROM sched.callbacks WHERE agent_id IS NOT NULL)
    , have AS (SELECT entity, entity_id AS id, channel, template, count(*) AS n
                 FROM sched.outbox o
                -- the probes book 0-2 days ahead: some reminders are rightly skipped
                WHERE NOT (template LIKE 'visit_reminder%' AND entity_id IN (
                           SELECT visit_id FROM sched.scheduled_visits WHERE user_id = 'notify_probe'))
                GROUP BY 1, 2, 3, 4)
"
  check "creation jobs" "$jobs
    SELECT count(*) FROM want w FULL JOIN have h USING (entity, id, channel, template)
     WHERE h.n IS DISTINCT FROM 1 OR w.id IS NULL" \
    "jobs missing, doubled or unexplained" "$jobs
    SELECT w.entity, coalesce(w.template, h.template) AS template, coalesce(w.channel, h.channel) AS channel,
           CASE WHEN h.n IS NULL THEN 'missing' WHEN w.id IS NULL THEN 'unexplained' ELSE 'doubled' END AS what,
           count(*), min(coalesce(w.id, h.id)) AS first_id
      FROM want w FULL JOIN have h USING (entity, id, channel, template)
     WHERE h.n IS DISTINCT FROM 1 OR w.id IS NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
  check "reminder states" "
    SELECT count(*) FROM sched.outbox o JOIN sched.scheduled_visits v
           ON o.entity = 'visit' AND o.entity_id = v.visit_id
     WHERE o.template LIKE 'visit_reminder%'
       AND (o.state = 'cancelled') <> (v.status NOT IN ('pending', 'confirmed'))" \
    "reminders not cancelled with their visit, or cancelled with it live"
  check "no agent over capacity" "
    SELECT count(*) FROM (
      SELECT v.agent_id, v.visit_date, v.time_slot
        FROM sched.scheduled_visits v JOIN sched.agents a USING (agent_id)
       WHERE v.status IN ('pending', 'confirmed')
       GROUP BY v.agent_id, v.visit_date, v.time_slot, a.slot_capacity
      HAVING count(*) > a.slot_capacity) s" \
    "agent, date and slot over capacity"
  check "profile counts" "
    WITH real AS (
      SELECT user_id, sum(v) AS visits, sum(c) AS callbacks FROM (
        SELECT user_id, 1 AS v, 0 AS c FROM sched.scheduled_visits
        UNION ALL SELECT user_id, 0, 1 FROM sched.callbacks) b
       GROUP BY user_id)
    SELECT count(*) FROM real r FULL JOIN sched.user_profiles p USING (user_id)
     WHERE r.visits IS DISTINCT FROM p.site_visits_scheduled::numeric
        OR r.callbacks IS DISTINCT FROM p.callbacks_requested::numeric" \
    "users whose profile counters differ from their bookings"
  if out=$(/usr/bin/python3 test/crash/load.py notify 5 2>&1); then
    echo "  ok   $out"
  else
    echo "  FAIL $out"; failed=1
  fi
done
totals=$(psql -X -At -F ' ' -c "SELECT (SELECT count(*) FROM sched.scheduled_visits),
  (SELECT count(*) FROM sched.callbacks), (SELECT count(*) FROM public.crash_ack)")
set -- $totals
echo "crash: $rounds rounds in $((SECONDS - start)) s; $1 visits, $2 callbacks, $3 acknowledged calls"
if [ $failed -ne 0 ]; then
  echo "crash: FAILED" >&2
  exit 1
fi
echo "crash: ok"
