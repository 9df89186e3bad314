#!/usr/bin/env bash
# test/postgrest/run.sh: sched behind PostgREST 12, without PostgREST.
#
#   test/cluster.sh test/postgrest/run.sh [-v]
#
# Replays, as the authenticator role, exactly the statements PostgREST
# 12.2 sends for each HTTP request of the documented deployment
# (docs/clients/postgrest.md): its transaction (READ ONLY or READ WRITE,
# the isolation level), the one set_config statement (search_path, the
# role's settings, role, request.jwt.claims, method, path, headers,
# cookies), the main statement (the RPC call through json_to_record, or
# the read of a view with its filters), prepared as hasql prepares them;
# the function is found by its argument names, as PostgREST's schema cache
# finds it, and a 40001 replays the transaction.  The HTTP status comes
# from PostgREST's own SQLSTATE table.  PostgREST's settings are those of
# docs/clients/postgrest.conf (db-uri aside: the cluster's socket).
# Prints one line per request: role, method, path, expected and actual
# status, ok or FAIL; exits non-zero on any FAIL.  -v prints the
# statements of a failing request.  The model is pgrst.py, the requests
# and what each must answer cases.py, the roles and agents setup.sql.
#
# Needs a running cluster (PGHOST, PGPORT, PGUSER of a superuser, as
# test/cluster.sh exports them; trust on its socket), the installed
# extension, python3 (standard library only) and libpq5.  Creates its own
# database, sched_postgrest, and the roles authenticator, web_anon,
# web_customer, web_agent, sales_admin, chat_backend and sched_worker.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

db=${SCHED_PGRST_DB:-sched_postgrest}
python=/usr/bin/python3
[ -x "$python" ] || python=python3

PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$here/setup.sql" >/dev/null

PYTHONDONTWRITEBYTECODE=1 exec "$python" "$here/cases.py" --db "$db" \
  --conf "$here/../../docs/clients/postgrest.conf" "$@"
