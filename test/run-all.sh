#!/usr/bin/env bash
# Runs every test of sched, on a fresh Debian 12 machine, as root:
#   1. installs what it needs (test/install-deps.sh),
#   2. builds with -Werror and assertions on, and installs the extension,
#   3. runs the C unit tests of the pure rules, replays the fuzz corpus
#      and fuzzes them for 30 seconds (test/unit),
#   4. starts a throw-away PostgreSQL 15 cluster (pg_virtualenv) and runs
#      pg_regress, the isolation specs, pgTAP and the pg_dump/pg_restore
#      round trip in it (test/run-in-cluster.sh),
#   5. starts another with sched and pg_cron in shared_preload_libraries
#      and tests the notifier worker (test/notifier.sh) and the no-show
#      sweep run by pg_cron (test/cron.sh).
# Exits non-zero on the first failure.
set -euo pipefail
# the tests book "tomorrow" in the session's time zone: keep it UTC whatever
# the machine says (pg_regress sets its own, PST8PDT)
export PGTZ=UTC
cd "$(dirname "$0")/.."

test/install-deps.sh

echo "== build (-Werror, assertions on)"
make -s clean
make -s SCHED_EXTRA_CFLAGS="-Werror -DUSE_ASSERT_CHECKING"
make -s install

echo "== unit tests and fuzzing of the pure rules"
make -s -C test/unit check replay
make -s -C test/unit fuzz FUZZ_SECONDS=30 2>&1 | tail -12

echo "== tests in a throw-away cluster"
pg_virtualenv -v 15 test/run-in-cluster.sh

echo "== the notifier worker and pg_cron, in a cluster that preloads them"
pg_virtualenv -v 15 -o shared_preload_libraries=sched,pg_cron -o max_prepared_transactions=2 \
  -o cron.database_name=postgres -o cron.use_background_workers=on -o max_worker_processes=16 \
  bash -c 'test/notifier.sh && test/cron.sh' 
echo "== all tests passed"
