#!/usr/bin/env bash
# make check-matrix: build sched without warnings (-Werror) against every
# PostgreSQL major that test/majors.sh can provide, and run pg_regress, the
# isolation specs, pgTAP, the cluster tests (test/run-in-cluster.sh), the
# notifier worker in a cluster that preloads sched (test/notifier.sh) and
# the demo on each.
#
#   test/check-matrix.sh [MAJOR...]        (default: 15 17 18)
#
# Each major is built in a copy of the working tree under /tmp, so the
# tree's own build is left alone.  A major that cannot be had here (16:
# no server headers in Debian 12 or npm) is reported and skipped; any
# other failure stops the run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- 15 17 18

tested=()
skipped=()
for major in "$@"; do
  echo "=== PostgreSQL $major"
  rc=0
  pg_config=$(test/majors.sh "$major") || rc=$?
  if [ $rc -eq 3 ]; then skipped+=("$major"); continue; fi
  [ $rc -eq 0 ] || exit $rc

  tree=/tmp/sched-matrix-$major
  rm -rf "$tree"
  mkdir -p "$tree"
  git ls-files -co --exclude-standard -z | tar --null -cf - -T - | tar -xf - -C "$tree"
  (
    cd "$tree"
    make -s PG_CONFIG="$pg_config" SCHED_EXTRA_CFLAGS="-Werror -DUSE_ASSERT_CHECKING"
    make -s PG_CONFIG="$pg_config" install >/dev/null
    export PG_CONFIG="$pg_config"
    test/cluster.sh -c "$pg_config" test/run-in-cluster.sh
    test/cluster.sh -c "$pg_config" -o shared_preload_libraries=sched -o max_prepared_transactions=2 \
      test/notifier.sh
    echo "-- the demo"
    demo/run.sh >"$tree/demo.log" 2>&1 || { cat "$tree/demo.log"; exit 1; }
    tail -3 "$tree/demo.log"
  )
  rm -rf "$tree"
  tested+=("$major")
done
echo "=== check-matrix: passed on PostgreSQL ${tested[*]}${skipped:+; not available here: ${skipped[*]}}"
