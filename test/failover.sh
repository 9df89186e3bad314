#!/usr/bin/env bash
# test/failover.sh: sched on a primary with streaming standbys.
#
#   test/failover.sh
#
# Three servers of its own (test/faults/servers.sh: the postgres user,
# sockets in a private directory, shared_preload_libraries = 'sched'),
# each a streaming copy (pg_basebackup -R) of the one before:
#
#   1. Hot standby.  node1 is the primary, node2 its synchronous standby
#      (synchronous_standby_names).  Every sched call of
#      test/failover/calls.txt runs on both: a reading call answers on the
#      standby what it answers on the primary; a writing call works on the
#      primary (rolled back) and fails on the standby with 25006.  A sched
#      function missing from that list fails the test, so the list (and
#      docs/operations.md, which prints it) stays whole.
#   2. Failover to the synchronous standby under load.  16 clients book,
#      request callbacks and move visits (test/faults/load.py) through a
#      libpq list of both servers with target_session_attrs=read-write;
#      node1 is killed (every process of it, at once: the machine is gone)
#      and node2 promoted.  On node2: every acknowledged call is there,
#      with its history and jobs, and every other invariant of
#      test/faults/invariants.sh; the notifier starts there and a new
#      booking's NOTIFY arrives; round robin goes on (30 bookings: 10 per
#      agent); the reference worker, given both hosts with
#      target_session_attrs=read-write, sends every due job from node2.
#   3. An asynchronous failover.  node3 streams from node2 asynchronously;
#      under the load, node2's WAL sender is stopped for a second (a slow
#      network), node2 killed and node3 promoted.  Commits acknowledged by
#      node2 are lost (PostgreSQL's documented behaviour: the test shows
#      that some were), their visit ids are given out again by node3, and
#      still no ref that a client was given names another booking: the
#      refs made on the new timeline carry its number (visit_000123-3).
#      The invariants other than "acknowledged present" hold on node3, and
#      a reference worker given only node3 waits while it is a standby
#      and sends every due job once it is promoted.
#
# One line per check, ok or FAIL; exit status 1 if any fails.  Run it
# directly, not inside test/cluster.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
load_seconds=${FAILOVER_LOAD_SECONDS:-8}
clients=16

. test/faults/servers.sh
. test/faults/invariants.sh
faults_workdir sched-failover
db=sched_failover
export PGUSER=postgres PGDATABASE=$db PGHOST=$work PGPORT=5432
failed=0
today="(pg_catalog.now() AT TIME ZONE pg_catalog.current_setting('sched.timezone'))::date"

cleanup() {
  local rc=$?
  [ -n "${load_pid:-}" ] && kill "$load_pid" 2>/dev/null || true
  for pid in ${worker_pids:-}; do kill "$pid" 2>/dev/null || true; done
  servers_stop_all
  if [ $rc -ne 0 ] || [ $failed -ne 0 ]; then
    for n in node1 node2 node3; do
      [ -f "$work/$n.log" ] || continue
      echo "*** $n log: the last 25 lines other than the load's refused calls ***" >&2
      grep -v " \(ERROR\|DETAIL\|HINT\|STATEMENT\|CONTEXT\): " "$work/$n.log" | tail -25 >&2
    done
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { echo "  ok   $*"; }
bad() { echo "  FAIL $*"; failed=1; }
q() { local port=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -p "$port" "$@"; }

# the standby has replayed everything the primary wrote so far
caught_up() { # PRIMARY_PORT STANDBY_PORT
  local lsn i
  lsn=$(q "$1" -c "SELECT pg_current_wal_lsn()")
  for i in $(seq 1 100); do
    [ "$(q "$2" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && return 0
    sleep 0.1
  done
  return 1
}

# the standby named NAME streams from the server on PORT, in STATE (sync/async)
streaming() { # PORT NAME STATE
  local i
  for i in $(seq 1 100); do
    [ "$(q "$1" -c "SELECT sync_state FROM pg_stat_replication WHERE application_name = '$2' AND state = 'streaming'")" = "$3" ] && return 0
    sleep 0.1
  done
  return 1
}

# The reference worker (worker/sched_worker.py) as a daemon on DSN, its
# log in $work/NAME.jsonl and its output in $work/NAME.out
worker_pids=
worker_start() { # NAME DSN
  /usr/bin/python3 worker/sched_worker.py --dsn "$2 dbname=$db user=postgres" --poll 1 --name "$1" \
    --log "$work/$1.jsonl" >"$work/$1.out" 2>&1 &
  worker_pids="$worker_pids $!"
}
# the worker has sent everything due on the server on PORT (it wakes at
# every NOTIFY and every second)
worker_drains() { # NAME PORT
  local i n
  for i in $(seq 1 150); do
    n=$(q "$2" -c "SELECT count(*) FROM sched.outbox WHERE state = 'pending' AND run_at <= now()")
    if [ "$n" = 0 ]; then
      ok "the worker $1 sent every due job ($(wc -l <"$work/$1.jsonl") messages in all)"
      return 0
    fi
    sleep 0.2
  done
  bad "the worker $1 left $n due jobs unsent; its output:"
  tail -5 "$work/$1.out" | sed 's/^/       /'
}

# The load on OLD and NEW through libpq's list of both; 2 s in, the
# command BEFORE runs, OLD is killed and NEW promoted, and the load goes on
# against NEW until its time is up.  Then psql's PGPORT is NEW's and
# public.crash_ack holds what the load was acknowledged.
failover_under_load() { # OLD OLD_PORT NEW NEW_PORT ACKFILE BEFORE...
  local old=$1 old_port=$2 new=$3 new_port=$4 ack=$5 rc=0
  shift 5
  : >"$ack"
  PGHOST="$work,$work" PGPORT=$old_port,$new_port PGTARGETSESSIONATTRS=read-write \
    /usr/bin/python3 test/faults/load.py load "$load_seconds" "$clients" "$ack" >"$work/load.out" 2>&1 &
  load_pid=$!
  sleep 2
  "$@"
  server_kill "$old"
  echo "  killed $old (every process)"
  pgctl "$new" promote -w -t 60 >/dev/null
  echo "  promoted $new"
  wait "$load_pid" || rc=$?
  load_pid=
  sed 's/^/  /' "$work/load.out"
  [ $rc -eq 0 ] || bad "load: unexpected errors"
  export PGPORT=$new_port
  load_ack_read "$ack"
}

echo "1. a hot standby"
server_init node1 5432 </dev/null
server_up node1 5432
load_db_setup "$db"
q 5432 >/dev/null <<SQL
UPDATE sched.agents SET login = 'agent' || agent_id;
SELECT sched.book_site_visit('cust1', 'Brigade Citrine', $today + 5, 'morning', 'Asha Rao', '9876543210', 'asha@example.com');
SELECT sched.book_site_visit('cust2', 'Brigade Citrine', $today + 5, 'afternoon', 'Ravi Kumar', '9876543220');
SELECT sched.request_callback('cust1', 'Asha Rao', '9876543210', 'about prices', 'high');
SELECT sched.set_visit_status(2, 'confirmed');
SELECT sched.set_visit_status(2, 'completed');
-- jobs 1 and 2 claimed, job 3 dead (one attempt allowed, failed)
SET sched.job_max_attempts = 1;
SELECT sched.claim_jobs('setup', 3);
SELECT sched.fail_job(3, 'no route');
-- visit 3, booked with an idempotency key
SELECT sched.book_site_visit('cust4', 'Brigade Citrine', $today + 6, 'evening', 'Kiran Das', '9876543240',
                             idempotency_key => 'failover-1');
CREATE ROLE failover_role NOLOGIN;
SQL
# node2 has no standby of its own: once promoted, it commits alone
server_copy 5432 node2 5433 <<EOF
synchronous_standby_names = ''
EOF
server_up node2 5433
# commits wait for node2 from now on (not before: nothing would commit)
q 5432 -c "ALTER SYSTEM SET synchronous_standby_names = 'node2'" -c "SELECT pg_reload_conf()" >/dev/null
if streaming 5432 node2 sync && caught_up 5432 5433; then
  ok "node2 streams from node1 as its synchronous standby"
else
  bad "node2 is not node1's synchronous standby"
fi
[ "$(q 5433 -c "SELECT pg_is_in_recovery()")" = t ] || bad "node2 is not in recovery"

claims() { # the claims of a calls.txt line's role
  case $1 in
    CUSTOMER) echo "'{\"sub\": \"cust1\"}'" ;;
    AGENT_OF_VISIT) echo "(SELECT json_build_object('sub', a.login)::text FROM sched.agents a JOIN sched.scheduled_visits v USING (agent_id) WHERE v.visit_id = 1)" ;;
    AGENT_OF_CALLBACK) echo "(SELECT json_build_object('sub', a.login)::text FROM sched.agents a JOIN sched.callbacks c USING (agent_id) WHERE c.callback_id = 1)" ;;
  esac
}
# a call's output, or "ERROR <sqlstate>"; on the primary in a transaction
# rolled back, so that every call sees the same data
call() { # PORT SQL
  local out
  if out=$(psql -X -q -At -v ON_ERROR_STOP=1 -p "$1" -c '\set VERBOSITY sqlstate' \
             -c 'BEGIN' -c "$2" -c 'ROLLBACK' 2>&1); then
    echo "$out"
  else
    echo "ERROR $(grep -o 'ERROR:  [0-9A-Z]\{5\}' <<<"$out" | head -1 | cut -c9-) ${out:0:200}"
  fi
}
listed=()
reads=0 writes=0
while IFS='|' read -r kind sql; do
  case $kind in read|write) ;; *) continue ;; esac
  role=
  case $sql in CUSTOMER\ *|AGENT_OF_VISIT\ *|AGENT_OF_CALLBACK\ *) role=${sql%% *}; sql=${sql#* } ;; esac
  sql=${sql//TODAY/$today}
  [ -z "$role" ] || sql="SELECT set_config('request.jwt.claims', $(claims "$role"), true) IS NOT NULL AS claims; $sql"
  name=$(grep -o 'sched\.[a-z_]*' <<<"${sql##*; }" | head -1)
  listed+=("${name#sched.}")
  on_primary=$(call 5432 "$sql")
  on_standby=$(call 5433 "$sql")
  if [ "${on_primary:0:5}" = ERROR ]; then
    bad "$name on the primary: $on_primary"
  elif [ "$kind" = read ] && [ "$on_standby" != "$on_primary" ]; then
    bad "$name on the standby: $on_standby (the primary: $on_primary)"
  elif [ "$kind" = write ] && [ "${on_standby:0:11}" != "ERROR 25006" ]; then
    bad "$name on the standby: not 25006 but $on_standby"
  else
    [ "$kind" = read ] && reads=$((reads + 1)) || writes=$((writes + 1))
  fi
done <test/failover/calls.txt
ok "$reads reading calls answer on the standby as on the primary; $writes writing calls fail there with 25006"
unlisted=$(q 5433 -c "
  SELECT string_agg(name, ', ' ORDER BY name) FROM (
    SELECT proname AS name FROM pg_catalog.pg_proc
     WHERE pronamespace = 'sched'::regnamespace AND prorettype <> 'trigger'::regtype
    UNION SELECT relname FROM pg_catalog.pg_class
     WHERE relnamespace = 'sched'::regnamespace AND relkind = 'v') f
   WHERE name <> ALL (string_to_array('${listed[*]}', ' '))")
if [ -z "$unlisted" ]; then
  ok "every sched function and view is in test/failover/calls.txt"
else
  bad "not in test/failover/calls.txt (nor in docs/operations.md): $unlisted"
fi

echo "2. failover to the synchronous standby under load"
# the worker as operations.md says to connect it: both hosts, read-write
worker_start worker-a "host=$work,$work port=5432,5433 target_session_attrs=read-write"
failover_under_load node1 5432 node2 5433 "$work/ack-sync.csv" :
[ "$(q 5433 -c "SELECT pg_is_in_recovery()")" = f ] && ok "node2 is the primary" || bad "node2 is still in recovery"
check "calls acknowledged after the failover" \
  "SELECT CASE WHEN count(*) > 0 THEN 0 ELSE 1 END FROM public.crash_ack WHERE kind = 'visit' AND ref LIKE '%-2'" \
  "(no booking was acknowledged by node2: the load did not fail over)"
check_acknowledged
check_invariants
if out=$(/usr/bin/python3 test/faults/load.py notify 5 2>&1); then ok "$out"; else bad "$out"; fi
# 30 bookings in 30 free slots (days 61-70: the load books 3-60): strict
# round robin gives each of the three agents 10
q 5433 >/dev/null -c "
  SELECT sched.book_site_visit('rr' || d || s, 'Brigade Citrine', $today + d, s, 'Round Robin', '9876500001')
    FROM generate_series(61, 70) d, unnest(enum_range(NULL::sched.time_slot)) s"
spread=$(q 5433 -c "SELECT string_agg(n::text, ' ' ORDER BY agent_id) FROM (
        SELECT agent_id, count(*) AS n FROM sched.scheduled_visits WHERE user_id LIKE 'rr%' GROUP BY 1) s")
[ "$spread" = "10 10 10" ] && ok "round robin on node2: 10 10 10 of 30 bookings" ||
  bad "round robin on node2: $spread of 30 bookings, not 10 10 10"

worker_drains worker-a 5433

echo "3. an asynchronous failover"
server_copy 5433 node3 5434 </dev/null
server_up node3 5434
# a worker given only the standby: read-only until the promotion
worker_start worker-b "host=$work port=5434"
if streaming 5433 node3 async && caught_up 5433 5434; then
  ok "node3 streams from node2, asynchronously"
else
  bad "node3 does not stream from node2"
fi
# places for every booking the new primary makes below
q 5433 -c "UPDATE sched.agents SET slot_capacity = 1000"
# node2's WAL sender stopped for a second before the kill: a slow network
stop_sender() {
  kill -STOP "$(q 5433 -c "SELECT pid FROM pg_stat_replication WHERE application_name = 'node3'")"
  sleep 1
  echo "  stopped node2's WAL sender for 1 s"
}
failover_under_load node2 5433 node3 5434 "$work/ack-async.csv" stop_sender
# node3 books past every id node2 acknowledged, so that lost ids come again
q 5434 >/dev/null -c "
  DO \$\$
  DECLARE
    last bigint := (SELECT max(id) FROM public.crash_ack WHERE kind = 'visit');
    d int := 61;
  BEGIN
    WHILE (SELECT max(visit_id) FROM sched.scheduled_visits) < last LOOP
      PERFORM sched.book_site_visit('again' || d, 'Brigade Citrine', $today + 61 + d % 29,
                                    'evening', 'After Failover', '9876500002');
      d := d + 1;
    END LOOP;
  END \$\$"
lost=$(q 5434 -c "
  SELECT count(*) FROM public.crash_ack a
   WHERE a.kind = 'visit' AND NOT EXISTS (
         SELECT FROM sched.scheduled_visits v WHERE v.visit_id = a.id AND v.ref = a.ref AND v.contact_phone = a.phone)")
again=$(q 5434 -c "
  SELECT count(*) FROM public.crash_ack a JOIN sched.scheduled_visits v ON v.visit_id = a.id
   WHERE a.kind = 'visit' AND v.ref <> a.ref")
if [ "$lost" -gt 0 ] && [ "$again" -gt 0 ]; then
  ok "$lost acknowledged visits lost with node2 (asynchronous), $again of their ids given out again by node3"
else
  bad "the asynchronous failover lost $lost acknowledged visits and gave out $again of their ids again: nothing to test"
fi
check "no ref given to another booking" "
  SELECT (SELECT count(*) FROM public.crash_ack a JOIN sched.scheduled_visits v ON v.ref = a.ref
           WHERE a.kind = 'visit' AND (v.visit_id <> a.id OR v.contact_phone <> a.phone))
       + (SELECT count(*) FROM public.crash_ack a JOIN sched.callbacks c ON c.ref = a.ref
           WHERE a.kind = 'callback' AND (c.callback_id <> a.id OR c.contact_phone <> a.phone))" \
  "refs a client was given now name another booking"
check "refs on the new timeline" "
  SELECT count(*) FROM public.crash_ack a JOIN sched.scheduled_visits v ON v.visit_id = a.id
   WHERE a.kind = 'visit' AND v.ref <> a.ref AND v.ref NOT LIKE '%-3'" \
  "ids given out again without the timeline in their ref"
check_invariants
if grep -q "read-only" "$work/worker-b.out"; then
  ok "the worker on the standby waited for it to be promoted"
else
  bad "the worker on the standby never found it read-only: $(head -3 "$work/worker-b.out")"
fi
worker_drains worker-b 5434
if [ $failed -ne 0 ]; then
  echo "failover: FAILED" >&2
  exit 1
fi
echo "failover: ok"
