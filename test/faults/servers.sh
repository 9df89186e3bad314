# test/faults/servers.sh: throw-away PostgreSQL servers that a test may
# kill, restart, copy and promote (sourced by test/crash.sh and
# test/failover.sh, which cannot run inside test/cluster.sh: they stop and
# start the servers themselves).
#
# Each server runs as the postgres user (initdb refuses root), with its
# socket in the test's private directory $work, a port of its own and no
# TCP listener, sched in shared_preload_libraries (so the notifier worker
# runs), fsync on, and freed memory scribbled on (MALLOC_PERTURB_).  The
# sourcing script sets $work (a directory that the postgres user can
# write: faults_workdir makes one) and calls servers_stop_all when it ends.
#
#   faults_workdir PREFIX        make $work, owned by the server's user
#   server_init NAME PORT        initdb $work/NAME; extra postgresql.conf
#                                lines come from stdin
#   server_copy FROM_PORT NAME PORT
#                                a streaming standby of the server on
#                                FROM_PORT (pg_basebackup -R), named NAME as
#                                its application_name; extra lines on stdin
#   pgctl NAME ARGS...           pg_ctl on $work/NAME, as the server's user
#   server_up NAME PORT          start it if it is not running (again and
#                                again: after kill -9 of a postmaster, start
#                                is refused while its orphans hold the
#                                shared memory) and wait for connections
#   server_kill NAME             kill -9 of the postmaster and every process
#                                it started, at once: the machine is gone
#   servers_stop_all             stop every server still running

bindir=$(pg_config --bindir)
as_server=()
[ "$(id -u)" -eq 0 ] && as_server=(runuser -u postgres --)
server_env=(PATH="$bindir:/usr/bin:/bin" LANG=C.UTF-8 MALLOC_PERTURB_=165)
export PATH="$bindir:$PATH"

faults_workdir() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 755 "$work"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$work"
  return 0
}

pgctl() { local name=$1; shift; "${as_server[@]}" env "${server_env[@]}" pg_ctl -D "$work/$name" "$@"; }

server_conf() { # NAME PORT: the settings every server of these tests has, then stdin
  {
    echo "listen_addresses = ''"
    echo "unix_socket_directories = '$work'"
    echo "port = $2"
    echo "shared_preload_libraries = 'sched'"
    echo "fsync = on"
    echo "restart_after_crash = on"
    echo "max_connections = 40"
    cat
  } >>"$work/$1/postgresql.conf"
}

server_init() {
  "${as_server[@]}" env "${server_env[@]}" initdb -D "$work/$1" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$work/$1.initdb.log" 2>&1 || { cat "$work/$1.initdb.log" >&2; return 1; }
  server_conf "$1" "$2"
}

server_copy() {
  "${as_server[@]}" env "${server_env[@]}" pg_basebackup -h "$work" -p "$1" -U postgres \
    -D "$work/$2" -R -X stream --checkpoint=fast --no-sync >"$work/$2.basebackup.log" 2>&1 ||
    { cat "$work/$2.basebackup.log" >&2; return 1; }
  # the copy is named for synchronous_standby_names; its own port
  "${as_server[@]}" sed -i "s/^primary_conninfo = '/primary_conninfo = 'application_name=$2 /" \
    "$work/$2/postgresql.auto.conf"
  server_conf "$2" "$3"
}

server_up() {
  local i
  for i in $(seq 1 150); do
    if pg_isready -q -h "$work" -p "$2" -d postgres; then return 0; fi
    if ! pgctl "$1" status >/dev/null 2>&1; then
      pgctl "$1" -l "$work/$1.log" -w -t 30 start >/dev/null 2>&1 || true
    fi
    sleep 0.2
  done
  echo "$1: the server did not come up (log: $work/$1.log)" >&2
  tail -20 "$work/$1.log" >&2
  return 1
}

server_kill() {
  local pm
  pm=$(head -1 "$work/$1/postmaster.pid")
  # the children first, stopped, so none of them acknowledges another
  # commit between the two kills
  kill -STOP $(pgrep -P "$pm") "$pm" 2>/dev/null || true
  kill -9 $(pgrep -P "$pm") "$pm" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pm" 2>/dev/null || break; sleep 0.1; done
}

servers_stop_all() {
  local d
  for d in "$work"/*/postmaster.pid; do
    [ -f "$d" ] || continue
    pgctl "$(basename "$(dirname "$d")")" -m immediate -w stop >/dev/null 2>&1 || true
  done
}
