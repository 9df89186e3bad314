#!/usr/bin/env bash
# make bench-callgrind: instructions per call, counted by valgrind's
# callgrind (repeatable on a noisy machine, unlike time).  Runs a
# single-user PostgreSQL 15 under callgrind with collection switched on
# only inside the sched function being measured (its triggers included;
# parsing the calling statement and committing excluded), for a short and
# a long run of calls; the difference divided by the extra calls is the
# cost of one call, without the first call's plan preparation.
#
# Settings (environment): CALLGRIND_SHORT (100), CALLGRIND_LONG (1100);
# CALLGRIND_FUNCTIONS (all three); to measure an installation built and
# installed elsewhere: CALLGRIND_NO_BUILD=1, PG_CONFIG (its pg_config) and
# CALLGRIND_SERVER_OPTS (more "-c name=value" for the server, e.g.
# extension_destdir and dynamic_library_path).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CALLGRIND_NO_BUILD:-}" ]; then
  test/install-deps.sh
  command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
  make -s
  make -s install >/dev/null
fi
SHORT=${CALLGRIND_SHORT:-100}
LONG=${CALLGRIND_LONG:-1100}
FUNCTIONS=${CALLGRIND_FUNCTIONS:-"sched_book_site_visit sched_request_callback sched_set_visit_status"}
SERVER_OPTS=${CALLGRIND_SERVER_OPTS:-}
pg_config=${PG_CONFIG:-pg_config}
bindir=$("$pg_config" --bindir)
work=$(mktemp -d /tmp/sched-callgrind.XXXXXX)
chown postgres "$work"
trap 'rm -rf "$work"' EXIT
as_pg() { su postgres -s /bin/bash -c "$*"; }

as_pg "$bindir/initdb -D $work/data -A trust >/dev/null"

# the statements: set-up, then N calls of one kind
script() {  # FUNCTION N
  echo "CREATE EXTENSION IF NOT EXISTS sched;"
  echo "SET sched.allow_truncate = on;"
  echo "TRUNCATE sched.scheduled_visits, sched.callbacks, sched.status_history, sched.outbox, sched.user_profiles, sched.agents CASCADE;"
  echo "INSERT INTO sched.agents (name, phone, is_senior, slot_capacity) SELECT 'Agent ' || i, '+9198765' || lpad(i::text, 5, '0'), i % 5 = 0, 1000000 FROM generate_series(1, 50) i;"
  case $1 in
    sched_set_visit_status)
      echo "SELECT count(sched.book_site_visit('u' || i, 'Brigade Citrine', current_date + 2 + i % 89, 'morning', 'Customer', '9876543210')) FROM generate_series(1, $2) i;"
      echo "SELECT min(visit_id) AS first FROM sched.scheduled_visits;" ;;
  esac
  for ((i = 1; i <= $2; i++)); do
    case $1 in
      sched_book_site_visit)
        echo "SELECT visit_id FROM sched.book_site_visit('user_$i', 'Brigade Citrine', current_date + $((2 + i % 89)), '$(printf 'morning\nafternoon\nevening' | sed -n "$((1 + i % 3))p")', 'Customer $i', '9876543210');" ;;
      sched_request_callback)
        echo "SELECT callback_id FROM sched.request_callback('user_$i', 'Customer $i', '9876543210', 'pricing', '$(printf 'urgent\nhigh\nmedium\nlow' | sed -n "$((1 + i % 4))p")');" ;;
      sched_set_visit_status)
        echo "SELECT status FROM sched.set_visit_status((SELECT min(visit_id) FROM sched.scheduled_visits) + $((i - 1)), 'confirmed');" ;;
    esac
  done
}

count() {  # FUNCTION N -> instructions collected inside FUNCTION
  local f=$1 n=$2 out="$work/cg.$1.$2"
  script "$f" "$n" > "$work/script.sql"
  chmod 644 "$work/script.sql"
  as_pg "valgrind --tool=callgrind --callgrind-out-file=$out --toggle-collect=$f \
         $bindir/postgres --single -D $work/data -c shared_buffers=64MB $SERVER_OPTS postgres < $work/script.sql > $work/out.txt 2>&1"
  if grep -q "ERROR" "$work/out.txt"; then
    grep -m 3 "ERROR" "$work/out.txt" >&2; echo "callgrind: $f failed" >&2; exit 1
  fi
  grep -o '^ob=([0-9]*) [^ ]*sched\.so' "$out" | sed 's/^ob=([0-9]*) /  library: /' | sort -u >&2
  callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}

printf '%-24s %16s\n' call instructions/call
for f in $FUNCTIONS; do
  a=$(count "$f" "$SHORT")
  b=$(count "$f" "$LONG")
  printf '%-24s %16s\n' "${f#sched_}" "$(( (b - a) / (LONG - SHORT) ))"
done
echo "(valgrind $(valgrind --version | sed 's/valgrind-//'), $("$pg_config" --version), $(git rev-parse --short HEAD 2>/dev/null || echo unversioned))"
