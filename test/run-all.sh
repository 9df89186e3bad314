#!/usr/bin/env bash
# Runs every test of sched, on a fresh Debian 12 machine, as root:
#   1. installs what it needs (test/install-deps.sh),
#   2. builds with -Werror and assertions on, installs the extension, and
#      checks that no two C files of src/ depend on each other in a circle,
#   3. runs the C unit tests of the pure rules, replays the fuzz corpus
#      and fuzzes them for 30 seconds (test/unit),
#   4. starts a throw-away PostgreSQL 15 cluster (test/cluster.sh) and runs
#      pg_regress, the isolation specs, pgTAP, the pg_dump/pg_restore
#      round trip, the upgrade, the reference worker and the calendar
#      invites, PostgREST's statements and PostGraphile in it
#      (test/run-in-cluster.sh), then 10,000 hostile calls to every
#      function as every role (test/fuzz_sql.py; make check-faults runs
#      200,000), three rounds of kill -9 under load (test/crash.sh) and
#      a primary with a hot standby, a synchronous and an asynchronous
#      failover under load (test/failover.sh),
#   5. runs those again with the server's clock moved (libfaketime) to
#      05:00 UTC, inside the business hours of Asia/Kolkata, and 13:00 UTC,
#      after them, from machines in two other time zones (make check-clock
#      runs the full set of times),
#   6. starts another cluster with sched and pg_cron in
#      shared_preload_libraries and tests the notifier worker
#      (test/notifier.sh) and the no-show sweep run by pg_cron (test/cron.sh),
#   7. builds and tests on PostgreSQL 18 too (make check-matrix runs
#      every major it can fetch: 15, 17 and 18).
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

test/install-deps.sh

echo "== build (-Werror, assertions on)"
make -s clean
make -s SCHED_EXTRA_CFLAGS="-Werror -DUSE_ASSERT_CHECKING"
make -s install
test/src-deps.sh

echo "== unit tests and fuzzing of the pure rules"
make -s -C test/unit check replay
make -s -C test/unit fuzz FUZZ_SECONDS=30 2>&1 | tail -12

echo "== tests in a throw-away cluster"
test/cluster.sh test/run-in-cluster.sh

echo "== hostile calls to every function as every role (test/fuzz_sql.py, 10,000 calls)"
test/cluster.sh /usr/bin/python3 test/fuzz_sql.py --calls 10000

echo "== kill -9 of the postmaster, a backend and the notifier under load (test/crash.sh, 3 rounds)"
test/crash.sh 3

echo "== a hot standby and two failovers under load (test/failover.sh)"
test/failover.sh

echo "== the same with the server's clock at 05:00 and 13:00 UTC"
test/check-clock.sh 05:00@Asia/Kolkata 13:00@America/Los_Angeles

echo "== the notifier worker and pg_cron, in a cluster that preloads them"
test/cluster.sh -o shared_preload_libraries=sched,pg_cron -o max_prepared_transactions=2 \
  -o cron.database_name=postgres -o cron.use_background_workers=on -o max_worker_processes=16 \
  bash -c 'test/notifier.sh && test/cron.sh'

echo "== PostgreSQL 18"
test/check-matrix.sh 18
echo "== all tests passed"
