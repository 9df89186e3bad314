#!/usr/bin/env bash
# The standby part of make bench (bench/run.sh runs it after the
# throughput benchmark; BENCH_STANDBY=0 skips it): a primary and a
# streaming standby of its own (pg_basebackup, test/faults/servers.sh),
# with the bench cluster's durability and memory settings, and the
# 16-client book_site_visit load (bench/book_site_visit.sql) for
# BENCH_SECONDS (15) a run, BENCH_ROUNDS (2) rounds of two runs each:
#
#   async  the standby streams asynchronously: the primary's tps, and how
#          far the standby's replay is behind, sampled every 0.2 s from
#          pg_stat_replication (replay_lag, the time from a commit on the
#          primary to its replay on the standby; and the WAL bytes not yet
#          replayed): p50 and p95;
#   sync   the same with synchronous_standby_names naming the standby
#          (synchronous_commit = on: each commit waits for the standby's
#          flush): tps as a ratio to the async run of the same round, and
#          the same lag figures.
#
# Ratios and lags, not absolute tps, are what to compare: both servers and
# pgbench share this machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=$(pwd)/bench
T=${BENCH_SECONDS:-15}
ROUNDS=${BENCH_ROUNDS:-2}
CLIENTS=16
. test/faults/servers.sh
. bench/lib.sh
faults_workdir sched-bench-standby
export PGHOST=$work PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
cleanup() {
  local rc=$?
  [ -n "${sampler:-}" ] && kill "$sampler" 2>/dev/null || true
  servers_stop_all
  [ $rc -eq 0 ] || { echo "*** primary log ***" >&2; tail -20 "$work/primary.log" >&2; }
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

settings="shared_buffers = 1GB
max_wal_size = 8GB
synchronous_commit = on
max_connections = 100"
server_init primary 5432 <<<"$settings"
server_up primary 5432
q -v status_rows=0 -v half_plus_one=1 -f "$bench/setup.sql" >/dev/null
server_copy 5432 standby 5433 <<<"$settings"
server_up standby 5433

# the lag samples of one run: milliseconds of replay_lag and bytes behind
sample_lag() { # FILE
  while :; do
    q -F " " -c "SELECT coalesce(extract(epoch FROM replay_lag) * 1000, 0)::numeric(12,3),
                 pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)
            FROM pg_stat_replication WHERE application_name = 'standby'" >>"$1" 2>/dev/null || true
    sleep 0.2
  done
}
pct() { # FILE COLUMN P
  awk -v c="$2" '{print $c}' "$1" | sort -n | awk -v p="$3" '{a[NR]=$1} END {i=int(NR*p); if (i<1) i=1; print a[i]}'
}
mode() { # async|sync
  local names=''
  [ "$1" = sync ] && names=standby
  q -c "ALTER SYSTEM SET synchronous_standby_names = '$names'" -c "SELECT pg_reload_conf()" >/dev/null
  for _ in $(seq 1 100); do
    [ "$(q -c "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby' AND state = 'streaming'")" = "$1" ] && return 0
    sleep 0.1
  done
  echo "bench: the standby is not $1" >&2
  exit 1
}
run() { # MODE ROUND: one run; echoes tps
  local tps
  mode "$1"
  fresh_tables
  rm -f "$work/lag.$1.$2"
  sample_lag "$work/lag.$1.$2" &
  sampler=$!
  tps=$(timed_pgbench book_site_visit.sql "$CLIENTS" "$1" -M prepared)
  kill "$sampler"; wait "$sampler" 2>/dev/null || true; sampler=
  cat "$work/lag.$1.$2" >>"$work/lag.$1"
  echo "$tps"
}

echo
echo "A streaming standby under book_site_visit at $CLIENTS clients ($ROUNDS rounds of $T s each; replay lag sampled every 0.2 s):"
async_sum=0 sync_sum=0 rmin= rmax=
for round in $(seq "$ROUNDS"); do
  a=$(run async "$round")
  s=$(run sync "$round")
  async_sum=$(awk -v x="$async_sum" -v y="$a" 'BEGIN {print x + y}')
  sync_sum=$(awk -v x="$sync_sum" -v y="$s" 'BEGIN {print x + y}')
  r=$(awk -v x="$s" -v y="$a" 'BEGIN {printf "%.2f", x / y}')
  log_round book_site_visit_sync_standby "$CLIENTS" "$round" async "$a" "$s"
  rmin=$(awk -v x="${rmin:-$r}" -v y="$r" 'BEGIN {print (y < x ? y : x)}')
  rmax=$(awk -v x="${rmax:-$r}" -v y="$r" 'BEGIN {print (y > x ? y : x)}')
done
printf '  %-6s %9s %7s %14s %22s %22s\n' standby tps ratio "p50/p99 ms" "replay lag p50/p95 ms" "bytes behind p50/p95"
for m in async sync; do
  sum=$async_sum; [ $m = sync ] && sum=$sync_sum
  printf '  %-6s %9.0f %7.2f %14s %22s %22s\n' "$m" "$(awk -v x="$sum" -v n="$ROUNDS" 'BEGIN {print x / n}')" \
    "$(awk -v x="$sum" -v y="$async_sum" 'BEGIN {print x / y}')" \
    "$(percentile "$work/lat.$m" 0.5)/$(percentile "$work/lat.$m" 0.99)" \
    "$(pct "$work/lag.$m" 1 0.5)/$(pct "$work/lag.$m" 1 0.95)" \
    "$(pct "$work/lag.$m" 2 0.5)/$(pct "$work/lag.$m" 2 0.95)"
done
[ "$ROUNDS" -gt 1 ] && echo "  sync/async ratio of single rounds: $rmin-$rmax"
echo "  ($(wc -l <"$work/lag.async") + $(wc -l <"$work/lag.sync") lag samples)"
