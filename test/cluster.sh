#!/usr/bin/env bash
# test/cluster.sh: run a command against a throw-away PostgreSQL cluster.
#
#   test/cluster.sh [-c PG_CONFIG] [-o name=value]... [-t WHEN] [-z ZONE] command...
#
#   -c PG_CONFIG  the installation to use, by its pg_config (default: the
#                 pg_config on PATH): Debian's 15, or a 17/18 prefix that
#                 test/majors.sh unpacked
#   -o name=value a postgresql.conf setting (repeatable)
#   -t WHEN       the server's clock, through libfaketime: HH:MM (that time
#                 today, UTC) or a full UTC timestamp; it runs on from there
#   -z ZONE       the machine's time zone (TZ) for the server and the
#                 command, for example Pacific/Kiritimati
#
# The cluster runs as the postgres user (initdb refuses root) with its
# socket in a private directory and no TCP port, so several can run at
# once, and with freed memory scribbled on (MALLOC_PERTURB_).  PGHOST, PGPORT, PGUSER and PGDATABASE point the command at it;
# PATH starts with the installation's bindir.  The cluster and its
# directory are gone when the command ends; the server log is printed if
# the command fails.
set -euo pipefail

pg_config=pg_config
settings=()
when=
zone=
while getopts "c:o:t:z:" opt; do
  case $opt in
    c) pg_config=$OPTARG ;;
    o) settings+=("$OPTARG") ;;
    t) when=$OPTARG ;;
    z) zone=$OPTARG ;;
    *) sed -n '2,16s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "cluster.sh: no command given" >&2; exit 2; }

bindir=$("$pg_config" --bindir)
work=$(mktemp -d /tmp/sched-cluster.XXXXXX)
chmod 755 "$work"
as_server=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$work"
  as_server=(runuser -u postgres --)
fi

# The server's environment: the machine's time zone and, with -t, the
# clock moved by libfaketime (an offset from the real clock, so that every
# backend forked by the postmaster agrees and time goes on; the monotonic
# clock is left alone, so timeouts and latches behave).
# MALLOC_PERTURB_ makes glibc fill freed memory, so that a read of memory
# sched has freed shows as nonsense instead of passing by luck.
server_env=(PATH="$bindir:/usr/bin:/bin" LANG=C.UTF-8 MALLOC_PERTURB_=165)
[ -n "$zone" ] && server_env+=(TZ="$zone")
if [ -n "$when" ]; then
  lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1 || true)
  [ -n "$lib" ] || { echo "cluster.sh: -t needs libfaketime (apt-get install faketime)" >&2; exit 2; }
  case $when in
    [0-9][0-9]:[0-9][0-9]) when="$(date -u +%F) $when" ;;
  esac
  target=$(date -u -d "$when UTC" +%s)
  offset=$((target - $(date -u +%s)))
  server_env+=(LD_PRELOAD="$lib" FAKETIME="$(printf '%+d' "$offset")" DONT_FAKE_MONOTONIC=1)
fi

stop() {
  local rc=$?
  if [ -f "$work/data/postmaster.pid" ]; then
    "${as_server[@]}" env "${server_env[@]}" pg_ctl -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ $rc -ne 0 ] && [ -f "$work/server.log" ]; then
    echo "*** server log (last 60 lines) ***" >&2
    tail -60 "$work/server.log" >&2
  fi
  rm -rf "$work"
  exit $rc
}
trap stop EXIT
trap 'exit 130' INT TERM

"${as_server[@]}" env "${server_env[@]}" initdb -D "$work/data" -U postgres -A trust -E UTF8 \
  --locale=C.UTF-8 --no-sync >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
{
  echo "listen_addresses = ''"
  echo "unix_socket_directories = '$work'"
  echo "fsync = off"
  for s in "${settings[@]+"${settings[@]}"}"; do echo "${s%%=*} = '${s#*=}'"; done
} >>"$work/data/postgresql.conf"
"${as_server[@]}" env "${server_env[@]}" pg_ctl -D "$work/data" -l "$work/server.log" -w -t 60 start >/dev/null

export PATH="$bindir:$PATH" PGHOST="$work" PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
[ -n "$zone" ] && export TZ="$zone"
"$@"
