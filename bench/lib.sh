# What the throughput scripts share (bench/run-in-cluster.sh and
# bench/pooler.sh source it).  They set, before using it: bench (this
# folder), work (a scratch folder pgbench may write its logs to) and T
# (seconds per run).  q and CHECKPOINT go to the server directly, through
# PGHOST and PGPORT.

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# every run starts from the same empty tables, so that no run pays for the
# rows an earlier one left (the capacity count reads an agent's slot)
fresh_tables() {
  q -c "SET sched.allow_truncate = on; TRUNCATE sched.visit_feedback, sched.scheduled_visits, sched.callbacks, sched.status_history, sched.outbox, sched.user_profiles" >/dev/null
}

# timed_pgbench SCRIPT CLIENTS KEY [pgbench options]: runs bench/SCRIPT
# with CLIENTS clients for T seconds, appends each transaction's latency
# (microseconds, from pgbench's log) to $work/lat.KEY and echoes tps.  A
# pgbench error or a single failed transaction prints pgbench's output and
# exits non-zero.
timed_pgbench() {
  local script=$1 clients=$2 key=$3 threads=2 out
  shift 3
  [ "$clients" -lt 2 ] && threads=1
  rm -f "$work"/pgbench_log.*
  # no run starts with another's dirty buffers or a checkpoint due
  q -c "CHECKPOINT" >/dev/null
  out=$(cd "$work" && pgbench -n "$@" -c "$clients" -j "$threads" -T "$T" -l -f "$bench/$script" 2>&1) || {
    echo "$out" >&2; echo "bench: pgbench failed on $script" >&2; exit 1; }
  if ! grep -q "number of failed transactions: 0 " <<< "$out"; then
    echo "$out" >&2; echo "bench: $script had failed transactions" >&2; exit 1
  fi
  cat "$work"/pgbench_log.* | awk '{print $3}' >> "$work/lat.$key"
  echo "$out" | awk '/^tps/ {print $3}'
}

percentile() {  # FILE P -> milliseconds
  sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {i=int(NR*p); if (i<1) i=1; printf "%.2f", a[i]/1000}'
}

# log_round WORKLOAD CLIENTS ROUND BASE BASE_TPS TPS: one line in the file
# BENCH_ROUND_LOG names, if any; BASE names what the ratio is to (floor)
log_round() {
  [ -n "${BENCH_ROUND_LOG:-}" ] || return 0
  printf '%s %s round %s %s_tps %s tps %s ratio %s\n' "$1" "$2" "$3" "$4" "$5" "$6" \
    "$(awk -v a="$6" -v b="$5" 'BEGIN {printf "%.4f", a / b}')" >> "$BENCH_ROUND_LOG"
}
