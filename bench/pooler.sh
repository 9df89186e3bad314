#!/usr/bin/env bash
# The booking workload through pgbouncer in transaction pooling, run by
# bench/run-in-cluster.sh inside the bench's cluster (pg_virtualenv sets
# PGHOST, PGPORT, PGUSER).  Round after round, each run from the same
# empty tables: bench/book_site_visit.sql with 16 clients connected to the
# server directly, then with 100 and 400 clients through Debian's
# pgbouncer (1.18) and its 16 server connections.  Prints each path's tps
# and p50/p99 latency, and each pooled run's tps as a ratio to the direct
# run's in the same rounds.
#
# Every run, the direct one too, uses pgbench -M extended: pgbouncer 1.18
# has no prepared statements in transaction pooling (a client's named
# statement lives on one server connection, its next transaction may get
# another), so -M prepared fails through it; one protocol on both paths
# keeps the ratio to what the pooler costs.  The direct run is therefore
# not the main table's 16-client row, which uses -M prepared.
#
# Settings (environment): BENCH_POOLER_CLIENTS, the pooled runs' clients
# ("100 400"; "0" or empty skips this part); BENCH_SECONDS per run (15);
# BENCH_ROUNDS of direct and pooled runs (2; with more than two, the
# lowest and highest ratio of a single round are shown too);
# BENCH_ROUND_LOG as in run-in-cluster.sh.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
T=${BENCH_SECONDS:-15}
ROUNDS=${BENCH_ROUNDS:-2}
POOLED=${BENCH_POOLER_CLIENTS-"100 400"}
[ "$POOLED" = 0 ] && POOLED=
[ -n "$POOLED" ] || exit 0
DIRECT=16
# The pool has as many server connections as the direct run has clients:
# the server then runs the same 16 backends at once on both paths, and
# the ratio shows what the pooler itself costs (its extra hop, clients
# queueing for a server connection), not the effect of more or fewer
# backends.  16 keeps the 2 cores of the bench machine busy (the direct
# 16-client run is the main table's best-filled one) and leaves room in
# the bench's max_connections = 100.
POOL_SIZE=16

maxc=0
for c in $POOLED; do
  case $c in
    '' | *[!0-9]* | 0*) echo "bench: BENCH_POOLER_CLIENTS must be client counts above 0, not '$c'" >&2; exit 1 ;;
  esac
  [ "$c" -gt "$maxc" ] && maxc=$c
done
# room for every pooled client and the bench's own psql connections
max_client_conn=$((maxc + 50 > 450 ? maxc + 50 : 450))

command -v pgbouncer >/dev/null || { echo "bench: the pooler part needs pgbouncer (test/install-deps.sh installs it)" >&2; exit 1; }
bouncer_bin=$(command -v pgbouncer)
bouncer_version=$(pgbouncer --version | head -1)

# Open files: pgbench holds one socket per client (and its logs);
# pgbouncer one per client and server connection.  runuser starts
# pgbouncer with the soft limit pam_limits gives (1024 here), so it raises
# its own below.
pgbench_fds=$((maxc + 64))
bouncer_fds=$((max_client_conn + POOL_SIZE + 64))
soft=$(ulimit -Sn)
if [ "$soft" != unlimited ] && [ "$soft" -lt "$pgbench_fds" ]; then
  ulimit -Sn "$pgbench_fds" 2>/dev/null || ulimit -n "$pgbench_fds" 2>/dev/null || {
    echo "bench: pgbench needs $pgbench_fds open files for $maxc clients; ulimit -n is $soft (hard: $(ulimit -Hn))" >&2; exit 1; }
fi

# A private folder for pgbouncer's socket, configuration, log and pid, and
# for pgbench's logs; pgbouncer refuses to run as root, so as root it runs
# as postgres.
work=$(mktemp -d /tmp/sched-bench-pooler.XXXXXX)
chmod 700 "$work"
as_server=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$work"
  as_server=(runuser -u postgres --)
fi
bport=6432   # names the socket in $work only: pgbouncer listens on no TCP port
cleanup() {
  local rc=$?
  if [ -f "$work/pgbouncer.pid" ]; then
    kill "$(cat "$work/pgbouncer.pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do [ -f "$work/pgbouncer.pid" ] || break; sleep 0.1; done
  fi
  if [ $rc -ne 0 ] && [ -f "$work/pgbouncer.log" ]; then
    echo "*** pgbouncer log (last 40 lines) ***" >&2
    tail -40 "$work/pgbouncer.log" >&2
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$bench/lib.sh"

# pgbench and psql name the database through PGDATABASE; pgbouncer's entry
# for it logs into the server as the bench's user, with its password when
# the cluster wants one (pg_virtualenv's TCP connections as root do).
export PGDATABASE=${PGDATABASE:-${PGUSER:-$(id -un)}}
server="host=${PGHOST:-/var/run/postgresql} port=${PGPORT:-5432} dbname=$PGDATABASE user=${PGUSER:-$(id -un)}"
[ -z "${PGPASSWORD:-}" ] || server+=" password='$PGPASSWORD'"
cat >"$work/pgbouncer.ini" <<INI
[databases]
$PGDATABASE = $server

[pgbouncer]
listen_addr =
listen_port = $bport
unix_socket_dir = $work
auth_type = trust
auth_file = $work/userlist.txt
pool_mode = transaction
default_pool_size = $POOL_SIZE
max_client_conn = $max_client_conn
max_db_connections = 0
log_connections = 0
log_disconnections = 0
logfile = $work/pgbouncer.log
pidfile = $work/pgbouncer.pid
INI
printf '"%s" ""\n' "${PGUSER:-$(id -un)}" >"$work/userlist.txt"
chmod 600 "$work/pgbouncer.ini" "$work/userlist.txt"
[ ${#as_server[@]} -eq 0 ] || chown postgres: "$work/pgbouncer.ini" "$work/userlist.txt"
"${as_server[@]}" bash -c 'ulimit -Sn "$1" && exec "$2" -d "$3"' _ "$bouncer_fds" "$bouncer_bin" "$work/pgbouncer.ini" ||
  { echo "bench: pgbouncer did not start" >&2; exit 1; }
for _ in $(seq 1 50); do [ -S "$work/.s.PGSQL.$bport" ] && break; sleep 0.1; done
[ -S "$work/.s.PGSQL.$bport" ] || { echo "bench: pgbouncer did not start (no socket)" >&2; exit 1; }
[ "$(q -h "$work" -p "$bport" -c "SELECT 1")" = 1 ] ||
  { echo "bench: pgbouncer does not pass a query to the server" >&2; exit 1; }

echo
echo "book_site_visit through $bouncer_version (pool_mode = transaction, default_pool_size = $POOL_SIZE,"
echo "max_client_conn = $max_client_conn), as a ratio to $DIRECT clients connected directly in the same rounds"
echo "($ROUNDS x $T s each).  Every run pgbench -M extended, the direct one too (pgbouncer 1.18 has no"
echo "prepared statements in transaction pooling), so the direct row is not the main table's -M prepared one:"
printf '%-10s %7s %11s %7s %14s' path clients tps ratio "p50/p99 ms"
[ "$ROUNDS" -gt 2 ] && printf ' %11s' "round ratios"
printf '\n'

declare -A sum rmin rmax
dsum=0
for round in $(seq "$ROUNDS"); do
  fresh_tables
  d=$(timed_pgbench book_site_visit.sql "$DIRECT" direct -M extended)
  dsum=$(awk -v a="$dsum" -v b="$d" 'BEGIN {print a + b}')
  for c in $POOLED; do
    fresh_tables
    p=$(timed_pgbench book_site_visit.sql "$c" "pooled$c" -M extended -h "$work" -p "$bport")
    sum[$c]=$(awk -v a="${sum[$c]:-0}" -v b="$p" 'BEGIN {print a + b}')
    r=$(awk -v a="$p" -v b="$d" 'BEGIN {printf "%.2f", a / b}')
    rmin[$c]=$(awk -v a="${rmin[$c]:-$r}" -v b="$r" 'BEGIN {print (b < a ? b : a)}')
    rmax[$c]=$(awk -v a="${rmax[$c]:-$r}" -v b="$r" 'BEGIN {print (b > a ? b : a)}')
    log_round book_site_visit_pgbouncer "$c" "$round" "direct$DIRECT" "$d" "$p"
  done
done

row() {  # PATH CLIENTS TPS_SUM KEY [ROUND RATIOS]
  printf '%-10s %7s %11.0f %7.2f %14s' "$1" "$2" "$(awk -v a="$3" -v n="$ROUNDS" 'BEGIN {print a / n}')" \
    "$(awk -v a="$3" -v b="$dsum" 'BEGIN {print a / b}')" \
    "$(percentile "$work/lat.$4" 0.5)/$(percentile "$work/lat.$4" 0.99)"
  [ "$ROUNDS" -gt 2 ] && printf ' %11s' "${5:-}"
  printf '\n'
}
row direct "$DIRECT" "$dsum" direct
for c in $POOLED; do
  row pgbouncer "$c" "${sum[$c]}" "pooled$c" "${rmin[$c]}-${rmax[$c]}"
done
