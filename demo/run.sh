#!/usr/bin/env bash
# The demo: installs what it needs (Debian 12, as root), builds and
# installs sched, starts a throw-away cluster and replays the seed's story
# (demo/story.sql).  The cluster is gone when it ends.  PostgreSQL 15 by
# default; PG_CONFIG=$(test/majors.sh 18) demo/run.sh runs it on 18.
set -euo pipefail
cd "$(dirname "$0")/.."
pg_config=${PG_CONFIG:-pg_config}

test/install-deps.sh
make -s PG_CONFIG="$pg_config"
make -s PG_CONFIG="$pg_config" install >/dev/null
test/cluster.sh -c "$pg_config" psql -X -q -v ON_ERROR_STOP=1 -f demo/story.sql
