#!/usr/bin/env bash
# pg_regress, the isolation specs and pgTAP against the cluster that
# PGHOST/PGPORT/PGUSER name (test/cluster.sh sets them), with the
# extension built for PG_CONFIG (default: the pg_config on PATH) and
# already installed.  Used by test/run-in-cluster.sh, make check-clock and
# make check-matrix.  Exits non-zero on the first failing suite.
set -euo pipefail
cd "$(dirname "$0")/.."
pg_config=${PG_CONFIG:-pg_config}

show_diffs() {
  [ -f regression.diffs ] && cat regression.diffs
  return 1
}

echo "-- pg_regress"
make -s PG_CONFIG="$pg_config" installcheck-regress || show_diffs
echo "-- isolation specs"
make -s PG_CONFIG="$pg_config" installcheck-isolation || show_diffs

echo "-- pgTAP"
dropdb --if-exists sched_tap
createdb sched_tap
psql -X -q -v ON_ERROR_STOP=1 -d sched_tap -c 'CREATE EXTENSION pgtap; CREATE EXTENSION sched;'
pg_prove -d sched_tap --failures test/pgtap/*.sql
dropdb sched_tap
