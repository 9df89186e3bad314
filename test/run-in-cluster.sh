#!/usr/bin/env bash
# The server-side tests, run by test/run-all.sh inside pg_virtualenv
# (which sets PGHOST, PGPORT, PGUSER and friends for a fresh cluster).
set -euo pipefail
# pgTAP and the shell tests book "tomorrow" in the session's time zone; keep it
# UTC whatever the machine says (pg_regress sets its own, PST8PDT).
export PGTZ=UTC
cd "$(dirname "$0")/.."

show_diffs() {
  [ -f regression.diffs ] && cat regression.diffs
  return 1
}

echo "-- pg_regress and isolation specs"
make -s installcheck || show_diffs

echo "-- pgTAP"
dropdb --if-exists sched_tap
createdb sched_tap
psql -X -q -v ON_ERROR_STOP=1 -d sched_tap -c 'CREATE EXTENSION pgtap; CREATE EXTENSION sched;'
pg_prove -d sched_tap --failures test/pgtap/*.sql

echo "-- pg_dump / pg_restore"
test/dump_restore.sh

echo "-- upgrade from 1.0"
test/upgrade_check.sh

echo "-- the reference worker"
test/worker.sh

echo "-- calendar invites, read by python3-icalendar"
test/ics_check.sh
