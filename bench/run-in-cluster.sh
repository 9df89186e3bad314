#!/usr/bin/env bash
# The throughput benchmark, run by bench/run.sh inside a throw-away cluster
# (pg_virtualenv sets PGHOST, PGPORT, PGUSER).  Prints, for 1, 8 and 16
# clients, each workload's tps and latency beside its floor measured in the
# same run, interleaved floor, workload, floor, workload; then NOTIFY
# latency under load, the booking workload through pgbouncer at 100 and 400
# clients against 16 direct clients (bench/pooler.sh), the round-robin
# spread after 100,000 bookings, plain and (1.4) with agents of weights 1,
# 2 and 3 (each agent's distance from its exact share), the capacity
# check with everyone after one slot, and a long session's memory.
#
# Settings (environment): BENCH_SECONDS per run (15), BENCH_CLIENTS ("1 8 16";
# 0 skips the throughput table and the NOTIFY latency),
# BENCH_ROUNDS of floor and workload each (2), BENCH_WORKLOADS ("book_site_visit
# book_my_visit request_callback set_visit_status"), BENCH_FAIRNESS_BOOKINGS (100000),
# BENCH_POOLER_CLIENTS ("100 400"; 0 or empty skips the pooler part),
# BENCH_MEMORY_CALLS (1000000); 0 skips that part (BENCH_FAIRNESS_BOOKINGS=0
# skips the round robin and the capacity check).  With more than two rounds
# the tables also show the lowest and highest ratio of a single round;
# BENCH_ROUND_LOG names a file to which every round's floor (or direct) tps,
# tps and ratio are appended.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
T=${BENCH_SECONDS:-15}
CLIENTS=${BENCH_CLIENTS:-"1 8 16"}
ROUNDS=${BENCH_ROUNDS:-2}
WORKLOADS=${BENCH_WORKLOADS:-"book_site_visit book_my_visit request_callback set_visit_status"}
FAIR=${BENCH_FAIRNESS_BOOKINGS:-100000}
MEMCALLS=${BENCH_MEMORY_CALLS:-1000000}
work=$(mktemp -d /tmp/sched-bench.XXXXXX)
chmod 777 "$work"
trap 'rm -rf "$work"' EXIT
. "$bench/lib.sh"

q -c "SELECT 'server: ' || version()" -c "SELECT 'settings: ' || string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync','synchronous_commit','shared_buffers','shared_preload_libraries','max_connections','wal_level')"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
q -v status_rows=0 -v half_plus_one=1 -f "$bench/setup.sql"

# pending visits for a status run, loaded with triggers off; echoes the first id
add_pending() {
  q -c "SET session_replication_role = replica" -c "
    WITH ins AS (
      INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name,
                                          contact_phone, agent_id, status, ref)
      SELECT 'status_user_' || i, 'Brigade Citrine', current_date + 2 + i % 60,
             (ARRAY['morning','afternoon','evening'])[1 + i % 3]::sched.time_slot,
             'Status Customer', '+919876543210', 1 + i % 50, 'pending', 'visit_status_' || i
        FROM generate_series(1, $1) AS i
      RETURNING visit_id)
    SELECT min(visit_id) FROM ins" | tail -1
}

# run SCRIPT with CLIENTS clients for T seconds (-M prepared); AS_FLOOR=1
# turns triggers off.  Appends the per-transaction latencies to
# $work/lat.KEY; echoes tps.
run_pgbench() {
  local script=$1 clients=$2 key=$3 as_floor=$4
  if [ "$as_floor" = 1 ]; then
    PGOPTIONS='-c session_replication_role=replica' timed_pgbench "$script" "$clients" "$key" -M prepared
  else
    timed_pgbench "$script" "$clients" "$key" -M prepared
  fi
}

floor_of() {
  case $1 in
    book_site_visit|book_my_visit) echo floor_insert_visit ;;
    request_callback) echo floor_insert_callback ;;
    set_visit_status) echo floor_update_status ;;
    *) echo "bench: no workload $1" >&2; exit 1 ;;
  esac
}

[ "$CLIENTS" = 0 ] && CLIENTS=
if [ -n "$CLIENTS" ]; then
  printf '\n%-18s %7s %11s %11s %7s %14s %14s' workload clients floor_tps tps ratio "floor p50/p99" "p50/p99 ms"
  [ "$ROUNDS" -gt 2 ] && printf ' %11s' "round ratios"
  printf '\n'
fi
for c in $CLIENTS; do
  for wl in $WORKLOADS; do
    fl=$(floor_of "$wl")
    rm -f "$work"/lat.*
    ftps=0 wtps=0 rmin= rmax=
    for round in $(seq "$ROUNDS"); do
      fresh_tables
      if [ "$wl" = set_visit_status ]; then
        q -c "SELECT setval('public.bench_floor_visit', $(add_pending $((20000 * T * (c > 1 ? 2 : 1))) ), false)" >/dev/null
      fi
      f=$(run_pgbench "$fl.sql" "$c" floor 1)
      fresh_tables
      if [ "$wl" = set_visit_status ]; then
        q -c "SELECT setval('public.bench_workload_visit', $(add_pending $((12000 * T))), false)" >/dev/null
      fi
      if [ "$wl" = book_site_visit ] && [ "$c" = 16 ] && [ "$round" = "$ROUNDS" ] && [ -x "$bench/notify_latency" ]; then
        "$bench/notify_latency" "$((T - 2))" 20 > "$work/notify.out" 2>&1 &
        probe=$!
      fi
      w=$(run_pgbench "$wl.sql" "$c" workload 0)
      ftps=$(awk -v a="$ftps" -v b="$f" 'BEGIN {print a + b}')
      wtps=$(awk -v a="$wtps" -v b="$w" 'BEGIN {print a + b}')
      r=$(awk -v a="$w" -v b="$f" 'BEGIN {printf "%.2f", a / b}')
      log_round "$wl" "$c" "$round" floor "$f" "$w"
      rmin=$(awk -v a="${rmin:-$r}" -v b="$r" 'BEGIN {print (b < a ? b : a)}')
      rmax=$(awk -v a="${rmax:-$r}" -v b="$r" 'BEGIN {print (b > a ? b : a)}')
    done
    printf '%-18s %7s %11.0f %11.0f %7.2f %14s %14s' "$wl" "$c" "$(awk -v a="$ftps" -v n="$ROUNDS" 'BEGIN {print a / n}')" \
      "$(awk -v a="$wtps" -v n="$ROUNDS" 'BEGIN {print a / n}')" "$(awk -v a="$wtps" -v b="$ftps" 'BEGIN {print a / b}')" "$(percentile "$work/lat.floor" 0.5)/$(percentile "$work/lat.floor" 0.99)" \
      "$(percentile "$work/lat.workload" 0.5)/$(percentile "$work/lat.workload" 0.99)"
    [ "$ROUNDS" -gt 2 ] && printf ' %11s' "$rmin-$rmax"
    printf '\n'
  done
done

if [ -n "${probe:-}" ]; then
  wait "$probe" || true
  echo
  echo "NOTIFY latency while book_site_visit ran at 16 clients (commit -> listener): $(cat "$work/notify.out")"
fi

"$bench/pooler.sh"

if [ "$FAIR" -eq 0 ]; then
  exit 0
fi

echo
echo "Round robin after $FAIR bookings and $FAIR callback requests from 16 clients:"
q -c "SET sched.allow_truncate = on; TRUNCATE sched.visit_feedback, sched.scheduled_visits, sched.callbacks, sched.status_history, sched.outbox, sched.user_profiles" \
  -c "SELECT setval(s, 1, false) FROM unnest(ARRAY['sched.visit_turn','sched.callback_turn','sched.senior_callback_turn']) s" >/dev/null
per_client=$((FAIR / 16))
for script in book_site_visit request_callback; do
  out=$(cd "$work" && pgbench -n -M prepared -c 16 -j 2 -t "$per_client" -f "$bench/$script.sql" 2>&1) || { echo "$out" >&2; exit 1; }
  echo "  $script: $(echo "$out" | grep -E 'number of (transactions actually processed|failed)' | tr '\n' ' ')"
done
q -c "
  SELECT '  visits per agent: min ' || min(n) || ' max ' || max(n) || ' spread ' || (max(n) - min(n))
    FROM (SELECT a.agent_id, count(v.visit_id) AS n FROM sched.agents a
            LEFT JOIN sched.scheduled_visits v USING (agent_id) GROUP BY a.agent_id) s" \
  -c "
  SELECT '  non-urgent callbacks per agent: min ' || min(n) || ' max ' || max(n) || ' spread ' || (max(n) - min(n))
    FROM (SELECT a.agent_id, count(c.callback_id) AS n FROM sched.agents a
            LEFT JOIN sched.callbacks c ON c.agent_id = a.agent_id AND c.urgency <> 'urgent'
           GROUP BY a.agent_id) s" \
  -c "
  SELECT '  urgent callbacks per senior agent: min ' || min(n) || ' max ' || max(n) || ' spread ' || (max(n) - min(n))
    FROM (SELECT a.agent_id, count(c.callback_id) AS n FROM sched.agents a
            LEFT JOIN sched.callbacks c ON c.agent_id = a.agent_id AND c.urgency = 'urgent'
           WHERE a.is_senior GROUP BY a.agent_id) s"

echo
echo "Weighted round robin (1.4) after $FAIR bookings from 16 clients, agents of weights 1, 2 and 3 (1 + agent_id % 3):"
q -c "SET sched.allow_truncate = on; TRUNCATE sched.visit_feedback, sched.scheduled_visits, sched.status_history, sched.outbox, sched.user_profiles" \
  -c "UPDATE sched.agents SET weight = 1 + agent_id % 3" -c "SELECT setval('sched.visit_turn', 1, false)" >/dev/null
out=$(cd "$work" && pgbench -n -M prepared -c 16 -j 2 -t "$per_client" -f "$bench/book_site_visit.sql" 2>&1) || { echo "$out" >&2; exit 1; }
echo "  book_site_visit: $(echo "$out" | grep -E 'number of (transactions actually processed|failed)' | tr '\n' ' ')"
# each agent's count against its exact share: total * weight / sum of weights
q -c "
  SELECT '  visits per unit of weight ' || round(max(total::numeric / wsum), 3) || '; largest distance of an agent from its exact share '
         || round(max(abs(n - total::numeric * weight / wsum)), 3) || ' (bound: 1); visits by weight: '
         || string_agg(DISTINCT weight || ' -> ' || lo || '-' || hi, ', ')
    FROM (SELECT a.agent_id, a.weight, count(v.visit_id) AS n,
                 sum(count(v.visit_id)) OVER () AS total, sum(a.weight) OVER () AS wsum,
                 min(count(v.visit_id)) OVER (PARTITION BY a.weight) AS lo,
                 max(count(v.visit_id)) OVER (PARTITION BY a.weight) AS hi
            FROM sched.agents a LEFT JOIN sched.scheduled_visits v USING (agent_id)
           GROUP BY a.agent_id, a.weight) s" \
  -c "UPDATE sched.agents SET weight = 1"

echo
echo "Capacity: 16 clients for $T s all booking one date and slot, 50 agents with slot_capacity 2:"
fresh_tables
q -c "UPDATE sched.agents SET slot_capacity = 2" -c "
  CREATE OR REPLACE FUNCTION public.bench_try_book(who text, d date, s sched.time_slot) RETURNS bigint
  LANGUAGE plpgsql AS \$\$
  BEGIN
    RETURN (SELECT visit_id FROM sched.book_site_visit(who, 'Brigade Citrine', d, s, 'Slot Customer', '9876543210'));
  EXCEPTION WHEN SQLSTATE 'PT409' THEN
    RETURN NULL;
  END \$\$"
out=$(cd "$work" && pgbench -n -M prepared -c 16 -j 2 -T "$T" -f "$bench/one_slot.sql" 2>&1) || { echo "$out" >&2; exit 1; }
echo "  attempts: $(echo "$out" | awk '/actually processed/ {print $NF}'), booked: $(q -c "SELECT count(*) FROM sched.scheduled_visits")"
q -c "
  SELECT '  live visits in the slot: ' || count(*) || ' (places: ' || (SELECT sum(slot_capacity) FROM sched.agents) || ')'
    FROM sched.scheduled_visits WHERE visit_date = current_date + 30 AND time_slot = 'morning'
     AND status IN ('pending', 'confirmed')" -c "
  SELECT '  agents over capacity: ' || count(*) FROM (
    SELECT v.agent_id FROM sched.scheduled_visits v JOIN sched.agents a USING (agent_id)
     WHERE v.visit_date = current_date + 30 AND v.time_slot = 'morning' AND v.status IN ('pending', 'confirmed')
     GROUP BY v.agent_id, a.slot_capacity HAVING count(*) > a.slot_capacity) o"
q -c "UPDATE sched.agents SET slot_capacity = 1000000"

if [ -x "$bench/session_memory" ] && [ "$MEMCALLS" -gt 0 ]; then
  echo
  echo "Memory of one session making $MEMCALLS book_site_visit calls: $("$bench/session_memory" "$MEMCALLS")"
fi
