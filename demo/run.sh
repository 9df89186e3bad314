#!/usr/bin/env bash
# The demo: installs what it needs (Debian 12, as root), builds and
# installs sched, starts a throw-away PostgreSQL 15 cluster and replays
# the seed's story (demo/story.sql).  The cluster is gone when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

test/install-deps.sh
make -s
make -s install >/dev/null
pg_virtualenv -v 15 psql -X -q -v ON_ERROR_STOP=1 -f demo/story.sql
