#!/usr/bin/env bash
# make bench-scale: reads at scale.  Loads 10 million visits and 2 million
# callbacks (BENCH_VISITS, BENCH_CALLBACKS) into a throw-away cluster and
# times the read calls with pgbench: list_visits (pending, a week's date
# range, 100 rows), list_callbacks (pending, urgent first, 100 rows),
# user_schedule (a random user) and available_slots (a project, 7 days),
# p50/p95/p99 in milliseconds; then checks
# that no call read a table sequentially.  Target: p95 <= 2 ms each.
set -euo pipefail
cd "$(dirname "$0")/.."
test/install-deps.sh
make -s
make -s install >/dev/null
pg_virtualenv -v 15 -o shared_buffers=2GB -o max_wal_size=16GB -o maintenance_work_mem=1GB \
  -o shared_preload_libraries=sched bench/scale-in-cluster.sh
