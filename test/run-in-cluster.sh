#!/usr/bin/env bash
# The server-side tests of a plain cluster, run by test/run-all.sh inside
# test/cluster.sh (which sets PGHOST, PGPORT and PGUSER for a fresh
# cluster): pg_regress, the isolation specs and pgTAP (test/run-suites.sh),
# then the cluster tests written in shell, the PostgREST conformance
# harness (test/postgrest) and PostGraphile over HTTP (test/postgraphile).
set -euo pipefail
cd "$(dirname "$0")/.."

test/run-suites.sh

echo "-- pg_dump / pg_restore"
test/dump_restore.sh

echo "-- upgrade from 1.0"
test/upgrade_check.sh

echo "-- the reference worker"
test/worker.sh

echo "-- the reference worker sending to a local SMTP server and HTTP receiver"
test/worker_delivery.sh

echo "-- calendar invites, read by python3-icalendar"
test/ics_check.sh

echo "-- through pgbouncer in transaction pooling"
test/pooler.sh

echo "-- PostgREST 12's statements, as each role (docs/clients/postgrest.md)"
test/postgrest/run.sh

echo "-- PostGraphile v4 over sched (docs/clients/postgraphile.md)"
test/postgraphile/run.sh
