#!/usr/bin/env bash
# test/crash.sh: sched's invariants survive kill -9.
#
#   test/crash.sh [ROUNDS]      (default 3; make check-faults runs more)
#
# Starts its own throw-away server (test/faults/servers.sh: the postgres
# user, a private socket directory, no TCP port, shared_preload_libraries
# = 'sched' so the notifier worker runs, fsync on).  Run it directly, not
# inside test/cluster.sh: it kills and restarts the postmaster itself.
#
# Each round runs a mixed load from 16 clients (test/faults/load.py:
# bookings, callbacks, moves to confirmed; each call's id is recorded
# client-side once the call has returned, that is once its commit was
# acknowledged) and, in the middle of it, kill -9s in turn
#
#   1. the postmaster (its backends die with it; pg_ctl start recovers),
#   2. one client backend busy booking (the postmaster restarts them all),
#   3. the "sched notifier" background worker (likewise),
#
# and so on round after round.  After the restart, one line per check: the
# server log shows crash recovery, the invariants of
# test/faults/invariants.sh hold (every acknowledged call is there, with
# its history and jobs; nobody over capacity; profile counts exact), and a
# new booking's NOTIFY reaches a LISTEN sched session.  Exit status 1 if
# any fails.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
load_seconds=${CRASH_LOAD_SECONDS:-5}
clients=16

. test/faults/servers.sh
. test/faults/invariants.sh
faults_workdir sched-crash
db=sched_crash
export PGHOST="$work" PGPORT=5432 PGUSER=postgres PGDATABASE=$db
failed=0

cleanup() {
  local rc=$?
  [ -n "${load_pid:-}" ] && kill "$load_pid" 2>/dev/null || true
  servers_stop_all
  if [ $rc -ne 0 ] && [ -f "$work/node.log" ]; then
    echo "*** server log (last 40 lines) ***" >&2
    tail -40 "$work/node.log" >&2
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

server_init node 5432 </dev/null
server_up node 5432
load_db_setup "$db"
ack=$work/ack.csv
: >"$ack"

kinds=(postmaster backend notifier)
start=$SECONDS
for round in $(seq 1 "$rounds"); do
  kind=${kinds[$(((round - 1) % 3))]}
  echo "round $round: kill -9 of the $kind during the load (at $((SECONDS - start)) s)"
  server_up node 5432
  log_at=$(stat -c %s "$work/node.log")
  /usr/bin/python3 test/faults/load.py load "$load_seconds" "$clients" "$ack" >"$work/load.out" 2>&1 &
  load_pid=$!
  sleep 2
  victim=
  case $kind in
    postmaster)
      victim=$(head -1 "$work/node/postmaster.pid") ;;
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
    server_up node 5432
  fi
  load_rc=0
  wait "$load_pid" || load_rc=$?
  load_pid=
  sed 's/^/  /' "$work/load.out"
  [ $load_rc -eq 0 ] || { echo "  FAIL load: unexpected errors"; failed=1; }
  server_up node 5432
  recovered=$(tail -c +"$((log_at + 1))" "$work/node.log" |
    grep -c "all server processes terminated; reinitializing\|database system was interrupted" || true)
  if [ "$recovered" -gt 0 ]; then
    echo "  ok   crash recovery (server log)"
  else
    echo "  FAIL crash recovery: the server log shows none after the kill"; failed=1
  fi

  load_ack_read "$ack"
  check_acknowledged
  check_invariants
  if out=$(/usr/bin/python3 test/faults/load.py notify 5 2>&1); then
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
