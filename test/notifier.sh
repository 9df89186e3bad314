#!/usr/bin/env bash
# The notifier worker (src/notifier.c), in a cluster that preloads sched:
# committed changes are heard from the worker, rolled-back ones never,
# savepoints are respected, PREPARE TRANSACTION is refused, a transaction
# too big for the ring sends its NOTIFYs itself, and DROP DATABASE is not
# held up by the worker.  Run inside pg_virtualenv with
# shared_preload_libraries=sched (test/run-all.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
db=sched_notifier
out=$(mktemp)
trap 'rm -f "$out" "$out".*' EXIT
dropdb --if-exists "$db"
createdb "$db"

# 1. One session listens and books; its own PID becomes SELF, others WORKER.
psql -X -d "$db" -f test/notifier/notifier.sql > "$out" 2>&1 || true
awk '
  /^ SELF: / { self = $2; next }
  { if (self != "") gsub("PID " self "\\.", "PID SELF.");
    gsub(/PID [0-9]+\./, "PID WORKER."); print }' "$out" > "$out.norm"
mkdir -p results
cp "$out.norm" results/notifier.out
if ! diff -u expected/notifier.out results/notifier.out; then
  echo "notifier: results/notifier.out differs from expected/notifier.out" >&2
  exit 1
fi

# 2. 600 bookings in one transaction need more than a quarter of the ring:
#    they are sent by the booking session itself, all of them.
psql -X -q -d "$db" -c "LISTEN sched" -c "SELECT pg_sleep(4)" > "$out.listen" 2>&1 &
listener=$!
sleep 1
booker=$(psql -X -q -At -d "$db" -c "
  SELECT pg_backend_pid() FROM (
    SELECT count(sched.book_site_visit('bulk_' || i, 'Brigade Citrine', current_date + 2 + i % 60, 'evening',
                                       'Bulk', '9876543230'))
      FROM generate_series(1, 600) i) s")
wait "$listener"
# (payloads name no user from 1.3: the booking session's are its inserts)
from_booker=$(grep -c "\"op\":\"insert\".*PID $booker\." "$out.listen" || true)
if [ "$from_booker" != 600 ]; then
  echo "notifier: expected 600 notifications from the booking session $booker, got $from_booker" >&2
  head -5 "$out.listen" >&2; grep -c '"op":"insert"' "$out.listen" >&2
  exit 1
fi

# 3. DROP DATABASE waits up to 5 s for other sessions; the idle worker
#    leaves after 1 s, so the drop succeeds.
psql -X -q -d "$db" -c "SELECT sched.book_site_visit('late', 'Brigade Citrine', current_date + 3, 'morning', 'Late', '9876543299')" >/dev/null
dropdb "$db"
echo "notifier: ok (worker delivery, rollbacks, savepoints, PREPARE, ring fallback, DROP DATABASE)"
