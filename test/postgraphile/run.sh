#!/usr/bin/env bash
# test/postgraphile/run.sh: sched behind PostGraphile v4, over HTTP.
#
#   test/cluster.sh test/postgraphile/run.sh
#
# Starts PostGraphile 4.14 (from npm, pinned by package-lock.json) in
# Node over schema sched with the options and smart tags shipped in
# docs/clients/ (postgraphile.js, postgraphile.tags.json5), as the
# authenticator of the documented deployment (setup.sql), on a free port
# of 127.0.0.1, and sends it GraphQL requests with customers' and agents'
# JWTs: customer A books and reads her visits, the agent the visit went to
# confirms it, customer B and the other agent are refused with sched's
# SQLSTATE in the error, anonymous requests and tokens without a user are
# refused, a 4th open visit is PT429.  A second PostGraphile, as the
# superuser, shows the schema an owner sees: the agent relationship the
# smart tags give visits and callbacks, and no table mutations.  Prints
# one line per check; exits non-zero on any failure.  The checks are in
# test.js; whose rows are whose is read as the superuser (psql).
#
# Needs a running cluster (PGHOST, PGPORT, PGUSER of a superuser, as
# test/cluster.sh exports them; trust on its unix socket, no TCP), the
# installed extension, node (Debian's nodejs is enough) and, the first
# time, npm and the npm registry: `npm ci` fills test/postgraphile/node_modules
# from package-lock.json when it is missing or was installed from another
# lock file; after that the test runs offline.  Creates its own database,
# sched_postgraphile, and the roles authenticator, web_anon, web_customer
# and web_agent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
db=${SCHED_PGRAPHILE_DB:-sched_postgraphile}

command -v node >/dev/null || { echo "postgraphile: node is needed (apt-get install nodejs)" >&2; exit 1; }

# node_modules as package-lock.json has it: a stamp holds the lock file's
# checksum; anything else (none, another lock) is installed afresh.
stamp=$here/node_modules/.sched-lock.sha256
want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  command -v npm >/dev/null || { echo "postgraphile: npm is needed to install PostGraphile (apt-get install npm)" >&2; exit 1; }
  echo "postgraphile: npm ci (PostGraphile and its dependencies, from package-lock.json)"
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$want" >"$stamp"
fi

PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$here/setup.sql" >/dev/null

# docs/clients/postgraphile.js requires postgraphile and jsonwebtoken: from
# here, not from a node_modules next to it.
SCHED_PGRAPHILE_DB=$db NODE_PATH="$here/node_modules" exec node "$here/test.js" "$@"
