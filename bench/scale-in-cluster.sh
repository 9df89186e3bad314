#!/usr/bin/env bash
# Run by bench/scale.sh inside pg_virtualenv.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
VISITS=${BENCH_VISITS:-10000000}
CALLBACKS=${BENCH_CALLBACKS:-2000000}
USERS=$((VISITS / 10))
T=${BENCH_SECONDS:-15}
work=$(mktemp -d /tmp/sched-scale.XXXXXX)
chmod 777 "$work"
trap 'rm -rf "$work"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

q -c "SELECT 'server: ' || version()"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
q -v status_rows=0 -v half_plus_one=1 -f "$bench/setup.sql"

echo "loading $VISITS visits and $CALLBACKS callbacks for $USERS users ..."
start=$(date +%s)
# The history: visits over the 640 days before today, mostly completed,
# some cancelled or no-shows (loaded as imports, triggers off).  The
# future: booked below through sched.book_site_visit, so that it is what
# sched itself lets in (slot_capacity, daily_visit_cap, leave).
chunk=1000000
for ((from = 1; from <= VISITS; from += chunk)); do
  to=$((from + chunk - 1)); [ $to -gt $VISITS ] && to=$VISITS
  q -c "SET session_replication_role = replica" -c "
    INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone,
                                        agent_id, status, created_at, updated_at, ref)
    SELECT 'user_' || (i::bigint * 7919 % $USERS), 'Project ' || (i % 40), d,
           (ARRAY['morning','afternoon','evening'])[1 + i % 3]::sched.time_slot,
           'Customer ' || i, '+9198' || lpad((i % 100000000)::text, 8, '0'), 1 + i % 50,
           (ARRAY['completed','completed','completed','cancelled','no_show'])[1 + i % 5]::sched.visit_status,
           d - 3 - (i % 20) + time '10:00', d - 3 - (i % 20) + time '10:00',
           'visit_history_' || i
      FROM generate_series($from, $to) AS i,
           LATERAL (SELECT current_date - 640 + (i % 640) AS d) AS dd"
done
# The next 90 days as a real team would have them: 50 agents with 2
# places a slot and at most 5 visits a day, some on leave, 200 bookings a
# day (80 % of what the team takes), half of them confirmed; from 1.4
# with weekly hours, holidays and busy times too (below).
q -c "UPDATE sched.agents SET slot_capacity = 2, daily_visit_cap = 5" -c "
  INSERT INTO sched.agent_time_off (agent_id, starts_at, ends_at, reason)
  SELECT 1 + i % 50, b.starts_at, b.ends_at + interval '6 hours', 'leave'
    FROM generate_series(1, 200) AS i, sched.slot_bounds(current_date + 2 + i % 89, 'morning') AS b" >/dev/null
for ((day = 1; day <= 90; day += 10)); do   # ten days a transaction: bounded advisory locks
  q -c "
    SELECT count(*) FROM generate_series($day, $day + 9) AS d, generate_series(1, 200) AS k,
      LATERAL sched.book_site_visit('user_' || (d * 200 + k) % $USERS, 'Project ' || (k % 40), current_date + d,
                                    (ARRAY['morning','afternoon','evening'])[1 + k % 3]::sched.time_slot,
                                    'Customer ' || k, '+9198' || lpad(k::text, 8, '0')) AS v" >/dev/null
done
q -c "UPDATE sched.scheduled_visits SET status = 'confirmed' WHERE visit_date > current_date AND visit_id % 2 = 0" >/dev/null
q -c "SET session_replication_role = replica" -c "
  INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, reason, urgency, due_at, agent_id,
                               status, attempts, created_at, updated_at, next_attempt_at, ref)
  SELECT 'user_' || (i::bigint * 104729 % $USERS), 'Customer ' || i, '+9197' || lpad((i % 100000000)::text, 8, '0'),
         'question ' || i, (ARRAY['urgent','high','medium','low'])[1 + i % 4]::sched.urgency,
         c + interval '4 hours', 1 + i % 50,
         (CASE WHEN i % 200 = 0 THEN 'pending' WHEN i % 200 = 1 THEN 'no_answer'
               ELSE 'completed' END)::sched.callback_status,
         i % 3, c, c,
         CASE WHEN i % 200 = 0 THEN c + interval '4 hours' WHEN i % 200 = 1 THEN c + interval '5 hours' END,
         'callback_history_' || i
    FROM generate_series(1, $CALLBACKS) AS i,
         LATERAL (SELECT now() - (i % 700) * interval '1 day' - (i % 1440) * interval '1 minute' AS c) AS cc"
# 1.4's availability rules, so that the reads pay for them: half the
# agents keep weekly hours (weekdays 09-18, Saturday mornings), two
# holidays, and every agent's calendar synced with ten busy blocks
q -c "
  INSERT INTO sched.agent_hours (agent_id, weekday, starts, ends)
  SELECT a, d, '09:00', CASE WHEN d = 6 THEN time '12:00' ELSE time '18:00' END
    FROM generate_series(1, 50, 2) AS a, generate_series(1, 6) AS d" -c "
  INSERT INTO sched.holidays (day, project, name)
  VALUES (current_date + 30, NULL, 'Festival'), (current_date + 45, 'Project 7', 'Site closed')" -c "
  SELECT sum(sched.sync_agent_busy(a, 'google',
           (SELECT jsonb_agg(jsonb_build_object('external_id', 'e' || k, 'starts_at', b.starts_at,
                                                'ends_at', b.starts_at + interval '1 hour'))
              FROM generate_series(1, 10) AS k,
                   sched.slot_bounds(current_date + 3 + (a * 7 + k * 8) % 85,
                                     (ARRAY['morning','afternoon','evening'])[1 + k % 3]::sched.time_slot) AS b)))
    FROM generate_series(1, 50) AS a" >/dev/null
q -c "VACUUM ANALYZE"
echo "loaded in $(( $(date +%s) - start )) s: $(q -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"

cat > "$work/list_visits.sql" <<'SQL'
\set d random(0, 80)
SELECT visit_id FROM sched.list_visits(status => 'pending', date_from => current_date + :d::int,
                                       date_to => current_date + :d::int + 7, max_rows => 100);
SQL
cat > "$work/list_callbacks.sql" <<'SQL'
SELECT callback_id FROM sched.list_callbacks(status => 'pending', max_rows => 100);
SQL
cat > "$work/available_slots.sql" <<'SQL'
\set d random(0, 80)
\set p random(0, 39)
SELECT count(*) FROM sched.available_slots('Project ' || :p::int, current_date + :d::int, 7);
SQL
cat > "$work/user_schedule.sql" <<SQL
\set u random(0, $((USERS - 1)))
SELECT sched.user_schedule('user_' || :u::int);
SQL

seq_scans() {
  q -c "SELECT sum(seq_scan) FROM pg_stat_user_tables WHERE schemaname = 'sched' AND relname IN ('scheduled_visits', 'callbacks')"
}

printf '\n%-16s %8s %8s %8s %8s %6s\n' call tps p50_ms p95_ms p99_ms target
for call in list_visits list_callbacks user_schedule available_slots; do
  rm -f "$work"/pgbench_log.*
  (cd "$work" && pgbench -n -M prepared -c 1 -T 3 -f "$work/$call.sql" >/dev/null 2>&1)   # warm up
  rm -f "$work"/pgbench_log.*
  out=$(cd "$work" && pgbench -n -M prepared -c 1 -T "$T" -l -f "$work/$call.sql" 2>&1)
  tps=$(echo "$out" | awk '/^tps/ {printf "%.0f", $3}')
  sort -n <(cat "$work"/pgbench_log.* | awk '{print $3}') > "$work/lat"
  p() { awk -v p="$1" '{a[NR]=$1} END {i=int(NR*p); if (i<1) i=1; printf "%.3f", a[i]/1000}' "$work/lat"; }
  p95=$(p 0.95)
  ok=$(awk -v x="$p95" 'BEGIN {print (x <= 2.0) ? "met" : "MISSED"}')
  printf '%-16s %8s %8s %8s %8s %6s\n' "$call" "$tps" "$(p 0.5)" "$p95" "$(p 0.99)" "$ok"
done
before=$(seq_scans)
for call in list_visits list_callbacks user_schedule available_slots; do
  (cd "$work" && pgbench -n -M prepared -c 1 -t 200 -f "$work/$call.sql" >/dev/null 2>&1)
done
q -c "SELECT pg_stat_force_next_flush()" >/dev/null
sleep 1
after=$(seq_scans)
echo
echo "sequential scans of visits and callbacks during 800 read calls: $((after - before))"
q -c "SELECT '  ' || relname || ': ' || n_live_tup || ' rows, ' || pg_size_pretty(pg_total_relation_size(relid)) || ' with indexes'
        FROM pg_stat_user_tables WHERE schemaname = 'sched' AND relname IN ('scheduled_visits', 'callbacks') ORDER BY 1"
