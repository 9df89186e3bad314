#!/usr/bin/env bash
# make bench: builds and installs sched, builds the probes, and runs the
# throughput benchmark in a throw-away PostgreSQL 15 cluster with
# production-like durability (fsync and synchronous_commit on) and sched
# in shared_preload_libraries, then the standby benchmark (bench/standby.sh).
# See docs/performance.md for the results.
set -euo pipefail
cd "$(dirname "$0")/.."
test/install-deps.sh

make -s
make -s install >/dev/null
cflags="-O2 -Wall -Wextra -Werror -I$(pg_config --includedir)"
gcc $cflags -o bench/notify_latency bench/notify_latency.c -lpq
gcc $cflags -o bench/session_memory bench/session_memory.c -lpq
pg_virtualenv -v 15 \
  -o fsync=on -o synchronous_commit=on -o shared_buffers=1GB -o max_wal_size=8GB \
  -o max_connections=100 -o shared_preload_libraries=sched \
  bench/run-in-cluster.sh
# a primary and a streaming standby of its own: replay lag, and what a
# synchronous standby costs a booking (BENCH_STANDBY=0 skips it)
[ "${BENCH_STANDBY:-1}" = 0 ] || bench/standby.sh
