#!/usr/bin/env bash
# make bench: builds and installs sched, builds the probes, and runs the
# throughput benchmark in a throw-away PostgreSQL 15 cluster with
# production-like durability (fsync and synchronous_commit on) and sched
# in shared_preload_libraries.  See docs/performance.md for the results.
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
