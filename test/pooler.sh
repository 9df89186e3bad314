#!/usr/bin/env bash
# sched behind pgbouncer in transaction pooling (Debian's pgbouncer
# package): many clients share a few server sessions, so whatever a server
# session remembers (the copy of the agents, settings) must hold for every
# client that is handed it.  Five checks, each printing ok or FAIL:
#
#   1. the seed's story (book, callback, confirm) through the pooler;
#   2. K places in one slot, 30 pgbench clients through the pooler:
#      exactly K visits, nobody over capacity;
#   3. 300 bookings from 20 clients: round robin stays strict (every
#      agent's count within one of the others, docs/design.md);
#   4. an agent set inactive directly (and again under
#      session_replication_role = replica) is seen by every pooled server
#      session at once;
#   5. settings: a client cannot SET a sched setting (42501); a session
#      SET does outlive its client under the pooler, and a leaked TimeZone
#      does not move sched's booking window or slot times; an ALTER
#      DATABASE value reaches every pooled session once they reconnect.
#
# Run inside a cluster: test/cluster.sh test/pooler.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v pgbouncer >/dev/null || { echo "pooler: needs pgbouncer (apt-get install pgbouncer)" >&2; exit 2; }
bouncer_bin=$(command -v pgbouncer)

db=sched_pooler_test
tzdb=sched_pooler_tz
work=$(mktemp -d /tmp/sched-pooler.XXXXXX)
chmod 755 "$work"
as_server=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$work"
  as_server=(runuser -u postgres --)
fi
bport=6432
cleanup() {
  local rc=$?
  if [ -f "$work/pgbouncer.pid" ]; then
    kill "$(cat "$work/pgbouncer.pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do [ -f "$work/pgbouncer.pid" ] || break; sleep 0.1; done
  fi
  if [ $rc -ne 0 ] && [ -f "$work/pgbouncer.log" ]; then
    echo "*** pgbouncer log (last 30 lines) ***" >&2
    tail -30 "$work/pgbouncer.log" >&2
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failures=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

# Directly to the server, as the cluster's superuser.
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
qtz() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$tzdb" "$@"; }
# Through pgbouncer (its own socket directory), as the superuser or as -U.
bq() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$work" -p "$bport" "$@"; }
bench() { pgbench -h "$work" -p "$bport" -n "$@"; }

# ---------------------------------------------------------------------------
# Two databases: the story, capacity, fairness and agents in one; the
# leaked-TimeZone check in another whose business is in Pacific/Pago_Pago
# (UTC-11), so that a session in Etc/GMT-14 (UTC+14) is always on another
# date than the business, whatever the time of day.
for d in "$db" "$tzdb"; do
  dropdb --if-exists "$d"
  createdb "$d"
done
q >/dev/null <<SQL
ALTER DATABASE $db SET sched.business_hours = '00:00-24:00';
ALTER DATABASE $db SET sched.timezone = 'Asia/Kolkata';
ALTER DATABASE $tzdb SET sched.business_hours = '00:00-24:00';
ALTER DATABASE $tzdb SET sched.timezone = 'Pacific/Pago_Pago';
ALTER DATABASE $tzdb SET sched.max_days_ahead = 10;
-- the checks read the reminders the bookings write (sched.reminder_horizon:
-- pgTAP 115_reminder_horizon)
ALTER DATABASE $db SET sched.reminder_horizon = '30 days';
ALTER DATABASE $tzdb SET sched.reminder_horizon = '30 days';
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sched_pool_client') THEN
    CREATE ROLE sched_pool_client LOGIN;   -- trust on the cluster's socket
  END IF;
END \$\$;
SQL
setup_sql=$(cat <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION sched;
SELECT sched.grant_user_calls('sched_pool_client');
INSERT INTO sched.agents (name, phone, email, is_senior) VALUES
  ('Priya Sharma', '+91 98765 43211', 'priya@example.com', true),
  ('Rajesh Kumar', '+91 98765 43212', 'rajesh@example.com', false),
  ('Anita Rao',    '+91 98765 43213', NULL,                 false);
-- The harness's booking call, made by the superuser through the pooler:
-- it books into the business's today + days, answers ok or the SQLSTATE
-- (PT409 when the slot is full), so that pgbench goes on, and logs which
-- server session made it and which agent got it.
CREATE TABLE public.pool_log (tag text, pid int, result text, agent_id int, visit_id bigint, day date);
CREATE FUNCTION public.pool_book(tag text, uid text, day date, slot sched.time_slot)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v sched.scheduled_visits;
  r text := 'ok';
BEGIN
  BEGIN
    v := sched.book_site_visit(uid, 'Brigade Citrine', day, slot,
           'Pool ' || uid, '98765' || lpad((abs(hashtext(uid)) % 100000)::text, 5, '0'));
  EXCEPTION WHEN OTHERS THEN
    r := SQLSTATE;
  END;
  INSERT INTO public.pool_log VALUES (tag, pg_backend_pid(), r, v.agent_id, v.visit_id, day);
  RETURN r;
END $$;
-- the same, days after the business's today as it is in this transaction
CREATE FUNCTION public.pool_book(tag text, uid text, days int, slot sched.time_slot)
RETURNS text LANGUAGE sql
  RETURN public.pool_book(tag, uid, (now() AT TIME ZONE current_setting('sched.timezone'))::date + days, slot);
SQL
)
q >/dev/null <<<"$setup_sql"
qtz >/dev/null <<<"$setup_sql"
# the business's today, as sched counts it
today=$(q -c "SELECT (now() AT TIME ZONE current_setting('sched.timezone'))::date")

# ---------------------------------------------------------------------------
# pgbouncer: transaction pooling, four server sessions per database and
# user, its own socket directory and no TCP port; a second entry for the
# TimeZone database with a pool of one server session, so that
# consecutive clients surely share it.
cat >"$work/pgbouncer.ini" <<INI
[databases]
$db = host=$PGHOST port=$PGPORT dbname=$db
$tzdb = host=$PGHOST port=$PGPORT dbname=$tzdb pool_size=1

[pgbouncer]
listen_addr =
listen_port = $bport
unix_socket_dir = $work
auth_type = trust
auth_file = $work/userlist.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = 4
max_client_conn = 200
max_db_connections = 0
server_lifetime = 3600
server_idle_timeout = 3600
logfile = $work/pgbouncer.log
pidfile = $work/pgbouncer.pid
INI
printf '"postgres" ""\n"sched_pool_client" ""\n' >"$work/userlist.txt"
[ ${#as_server[@]} -eq 0 ] || chown postgres: "$work/pgbouncer.ini" "$work/userlist.txt"
"${as_server[@]}" "$bouncer_bin" -d "$work/pgbouncer.ini"
for _ in $(seq 1 50); do [ -S "$work/.s.PGSQL.$bport" ] && break; sleep 0.1; done
[ -S "$work/.s.PGSQL.$bport" ] || { echo "pooler: pgbouncer did not start" >&2; cat "$work/pgbouncer.log" >&2; exit 1; }
echo "pooler: $(pgbouncer --version | head -1), pool_mode = transaction, default_pool_size = 4"

# ---------------------------------------------------------------------------
# 1. The seed's story through the pooler, one statement per transaction
# (so each may run on another server session).
d1=$(q -c "SELECT '$today'::date + 3")
vid=$(bq -d "$db" -c "SELECT visit_id FROM sched.book_site_visit(user_id => 'user_john', project => 'Brigade Citrine',
        visit_date => '$d1', time_slot => 'morning', contact_name => 'John Doe',
        contact_phone => '+91 98765 43210', contact_email => 'John.Doe@Example.COM',
        notes => 'Interested in 3BHK')")
cid=$(bq -d "$db" -c "SELECT callback_id FROM sched.request_callback(user_id => 'user_john', contact_name => 'John Doe',
        contact_phone => '+91 98765 43210', reason => 'Wants the floor plans', urgency => 'high')")
bq -d "$db" -c "SELECT sched.set_visit_status($vid, 'confirmed', 'Called John, confirmed')" >/dev/null
row=$(q -c "SELECT status, agent_id IS NOT NULL, contact_phone, contact_email, visit_date = '$d1', time_slot, confirmed_at IS NOT NULL
              FROM sched.scheduled_visits WHERE visit_id = $vid")
check "1. John's visit is booked, assigned and confirmed through the pooler ($row)" \
  [ "$row" = "confirmed|t|+919876543210|John.Doe@example.com|t|morning|t" ]
hist=$(q -c "SELECT string_agg(coalesce(from_status, '-') || '>' || to_status, ',' ORDER BY history_id)
               FROM sched.status_history WHERE entity = 'visit' AND entity_id = $vid")
check "1. the visit's history is $hist" [ "$hist" = "->pending,pending>confirmed" ]
cb=$(q -c "SELECT urgency || '|' || status || '|' || (agent_id IS NOT NULL) || '|' ||
                  (SELECT count(*) FROM sched.status_history WHERE entity = 'callback' AND entity_id = $cid)
             FROM sched.callbacks WHERE callback_id = $cid")
check "1. the high-urgency callback is assigned, with its history row ($cb)" [ "$cb" = "high|pending|true|1" ]
jobs=$(q -c "SELECT string_agg(DISTINCT template || ':' || channel, ',' ORDER BY template || ':' || channel)
               FROM sched.outbox WHERE entity = 'visit' AND entity_id = $vid")
check "1. the visit's outbox jobs ($jobs)" bash -c '
  for j in visit_booked:sms visit_booked:email visit_assigned:agent visit_reminder_24h:sms visit_reminder_1h:sms; do
    case ",$1," in *",$j,"*) ;; *) exit 1 ;; esac
  done' _ "$jobs"
cbjobs=$(q -c "SELECT count(*) FROM sched.outbox WHERE entity = 'callback' AND entity_id = $cid")
check "1. the callback has outbox jobs ($cbjobs)" [ "$cbjobs" -ge 1 ]

# ---------------------------------------------------------------------------
# 2. Capacity: 3 agents x 2 places = 6 places in one date and slot; 30
# clients through four server sessions book into it for 3 seconds.
q -c "UPDATE sched.agents SET slot_capacity = 2" >/dev/null
cat >"$work/cap.sql" <<'SQL'
\set u random(1, 1000000000)
SELECT public.pool_book('cap', 'cap' || :u, ':d'::date, 'afternoon');
SQL
d2=$(q -c "SELECT '$today'::date + 5")
bench -c 30 -j 2 -T 3 -D d="$d2" -f "$work/cap.sql" "$db" >"$work/cap.out" 2>&1 || { cat "$work/cap.out"; bad "2. pgbench failed"; }
cap=$(q -c "SELECT count(*) FROM sched.scheduled_visits WHERE visit_date = '$d2' AND time_slot = 'afternoon' AND status IN ('pending', 'confirmed')")
tries=$(q -c "SELECT count(*) || ' calls, ' || count(*) FILTER (WHERE result = 'ok') || ' booked, ' ||
                     count(*) FILTER (WHERE result = 'PT409') || ' PT409, ' ||
                     count(*) FILTER (WHERE result NOT IN ('ok', 'PT409')) || ' other, ' ||
                     count(DISTINCT pid) || ' server sessions' FROM public.pool_log WHERE tag = 'cap'")
check "2. exactly 6 visits in the one slot ($tries)" [ "$cap" -eq 6 ]
other=$(q -c "SELECT count(*) FROM public.pool_log WHERE tag = 'cap' AND result NOT IN ('ok', 'PT409')")
check "2. every refused booking is PT409 (others: $other)" [ "$other" -eq 0 ]
over=$(q -c "SELECT count(*) FROM (SELECT v.agent_id FROM sched.scheduled_visits v JOIN sched.agents a USING (agent_id)
                                   WHERE v.visit_date = '$d2' AND v.time_slot = 'afternoon' AND v.status IN ('pending', 'confirmed')
                                   GROUP BY v.agent_id, a.slot_capacity HAVING count(*) > a.slot_capacity) x")
check "2. no agent over slot_capacity" [ "$over" -eq 0 ]

# ---------------------------------------------------------------------------
# 3. Fairness: 300 bookings from 20 clients over 60 dates and all slots,
# with room for all; no booking fails, nobody is full and the pool does
# not change, so docs/design.md promises strict rotation: counts within
# one of each other (here 100 each).
q -c "UPDATE sched.agents SET slot_capacity = 1000" >/dev/null
cat >"$work/fair.sql" <<'SQL'
\set u random(1, 1000000000)
\set d random(2, 61)
\set s random(0, 2)
SELECT public.pool_book('fair', 'fair' || :u, :d, (ARRAY['morning', 'afternoon', 'evening'])[:s + 1]::sched.time_slot);
SQL
bench -c 20 -j 2 -t 15 -f "$work/fair.sql" "$db" >"$work/fair.out" 2>&1 || { cat "$work/fair.out"; bad "3. pgbench failed"; }
fair=$(q -c "SELECT count(*) FILTER (WHERE result = 'ok') || '|' || count(*) FILTER (WHERE result <> 'ok') FROM public.pool_log WHERE tag = 'fair'")
per=$(q -c "SELECT string_agg(agent_id || ':' || n, ' ' ORDER BY agent_id) FROM (
              SELECT a.agent_id, count(l.agent_id) n FROM sched.agents a LEFT JOIN public.pool_log l
                  ON l.agent_id = a.agent_id AND l.tag = 'fair' GROUP BY a.agent_id) x")
spread=$(q -c "SELECT max(n) - min(n) FROM (
              SELECT a.agent_id, count(l.agent_id) n FROM sched.agents a LEFT JOIN public.pool_log l
                  ON l.agent_id = a.agent_id AND l.tag = 'fair' GROUP BY a.agent_id) x")
check "3. 300 bookings, none refused (ok|refused: $fair)" [ "$fair" = "300|0" ]
check "3. round robin spread <= 1 (agent:visits $per)" [ "$spread" -le 1 ]

# ---------------------------------------------------------------------------
# 4. Agent changes reach every pooled server session.  Warm the pool
# (every server session loads its copy of the agents), change an agent
# directly, then book through the pooler from several clients.
cat >"$work/agents.sql" <<'SQL'
\set u random(1, 1000000000)
\set d random(2, 61)
SELECT public.pool_book(':tag', ':tag' || :u, :d, 'evening');
SQL
agents_round() {   # tag clients transactions-per-client
  bench -c "$2" -j 2 -t "$3" -D tag="$1" -f "$work/agents.sql" "$db" >"$work/$1.out" 2>&1 ||
    { cat "$work/$1.out"; bad "4. pgbench ($1) failed"; }
}
pids() { q -c "SELECT string_agg(DISTINCT pid::text, ',' ORDER BY pid::text) FROM public.pool_log WHERE tag = '$1'"; }
agents_round warm1 8 4
q -c "UPDATE sched.agents SET active = false WHERE agent_id = 3" >/dev/null
agents_round after1 5 10
n=$(q -c "SELECT count(*) FILTER (WHERE result = 'ok') || '|' || count(*) FILTER (WHERE agent_id = 3) FROM public.pool_log WHERE tag = 'after1'")
check "4. 50 bookings after agent 3 was set inactive, none to agent 3 (ok|to 3: $n)" [ "$n" = "50|0" ]
w=$(pids warm1); a=$(pids after1)
check "4. the warmed server sessions ($w) are the ones that booked after the change ($a)" \
  bash -c '[ "$1" = "$2" ] && [ "$(tr , "\n" <<<"$1" | wc -l)" -ge 2 ]' _ "$w" "$a"
# back in: every session sees agent 3 again
q -c "UPDATE sched.agents SET active = true WHERE agent_id = 3" >/dev/null
agents_round back 5 10
n=$(q -c "SELECT count(*) FILTER (WHERE agent_id = 3) FROM public.pool_log WHERE tag = 'back'")
check "4. agent 3 active again takes its turns through the pooler ($n of 50)" [ "$n" -ge 15 ]
# the same under session_replication_role = replica (agents_changed is
# ENABLE ALWAYS from 1.3)
agents_round warm2 8 4
q >/dev/null <<'SQL'
SET session_replication_role = replica;
UPDATE sched.agents SET active = false WHERE agent_id = 2;
SQL
agents_round after2 5 10
n=$(q -c "SELECT count(*) FILTER (WHERE result = 'ok') || '|' || count(*) FILTER (WHERE agent_id = 2) FROM public.pool_log WHERE tag = 'after2'")
check "4. replica role: 50 bookings after agent 2 was set inactive, none to agent 2 (ok|to 2: $n)" [ "$n" = "50|0" ]
w=$(pids warm2); a=$(pids after2)
check "4. replica role: the same server sessions ($w / $a)" [ "$w" = "$a" ]
q -c "UPDATE sched.agents SET active = true WHERE agent_id = 2" >/dev/null

# ---------------------------------------------------------------------------
# 5. Settings under transaction pooling.
# a. A client cannot SET a sched setting for itself or for the clients
# after it.  In a server session where sched is loaded the SET fails with
# 42501.  In one where it is not loaded yet (a fresh server session, no
# shared_preload_libraries), PostgreSQL takes the SET as a placeholder
# and sched drops it, with a WARNING, when it loads: client A's SET must
# not score client B's booking on the same server session (issue 12).
outa=$(bq -U sched_pool_client -d "$db" -c "SET sched.visit_intent_points = 100" 2>&1 || true)
outb=$(bq -U sched_pool_client -d "$db" -c "SELECT visit_id FROM sched.book_site_visit('pool_client', 'Brigade Citrine',
        '$today'::date + 4, 'morning', 'Pool Client', '9876500001')" 2>&1 || true)
echo "     (client A's SET in a server session without sched loaded: '${outa:-accepted}'; client B's booking said: '$(grep -v '^[0-9]*$' <<<"$outb" | tr '\n' ' ')')"
pts=$(q -c "SELECT intent_points FROM sched.user_profiles WHERE user_id = 'pool_client'")
check "5. client A's SET does not score client B's booking: the database's 3 points ($pts)" [ "$pts" = "3" ]
out=$(bq -U sched_pool_client -d "$db" -v VERBOSITY=verbose 2>&1 <<'SQL' || true
BEGIN;
SELECT 1 FROM sched.slot_bounds(current_date, 'morning');
SET sched.visit_intent_points = 100;
COMMIT;
SQL
)
check "5. with sched loaded, a user-calls client's SET sched.visit_intent_points is 42501 ($(grep ERROR <<<"$out" | head -1))" \
  grep -q '^ERROR:  42501' <<<"$out"

# b. A session SET outlives its client: client A sets, client B (the same
# single server session) sees it.
bq -d "$tzdb" -c "SET pooler_test.marker = 'client A'" >/dev/null
leak=$(bq -d "$tzdb" -c "SELECT current_setting('pooler_test.marker', true)")
check "5. PostgreSQL's own leak: the next client sees client A's session SET ('$leak')" [ "$leak" = "client A" ]

# c. A leaked TimeZone does not move sched's dates.  The business is in
# Pago Pago (UTC-11); Etc/GMT-14 is UTC+14, so a session in it is always
# one or two days after the business's date.  (pgbouncer itself sets a
# client's TimeZone back to what it connected with, so client A's SET
# TimeZone may not reach client B; the bookings must be right either way,
# and again in a client that keeps Etc/GMT-14 for its own bookings.)
tz_today=$(qtz -c "SELECT (now() AT TIME ZONE current_setting('sched.timezone'))::date")
bq -d "$tzdb" -c "SET TimeZone = 'Etc/GMT-14'" >/dev/null
seen_tz=$(bq -d "$tzdb" -c "SHOW TimeZone")
echo "     (client B's TimeZone after client A's SET TimeZone: $seen_tz; the server's default: $(qtz -c 'SHOW TimeZone'))"
r=$(bq -d "$tzdb" -c "SELECT public.pool_book('tz', 'tz_last', 10, 'evening')")
r2=$(bq -d "$tzdb" -c "SELECT public.pool_book('tz', 'tz_over', 11, 'evening')")
check "5. after client A's SET TimeZone, client B books the window's last day ($r) and not the day after ($r2)" \
  [ "$r|$r2" = "ok|22023" ]
# the same in a session whose TimeZone surely is Etc/GMT-14 (the SET and
# the bookings in one client, separate transactions, one server session)
out=$(bq -d "$tzdb" <<SQL
SET TimeZone = 'Etc/GMT-14';
SELECT current_date - '$tz_today'::date;
SELECT public.pool_book('tz14', 'tz14_last', 10, 'evening');
SELECT public.pool_book('tz14', 'tz14_over', 11, 'evening');
SELECT extract(epoch FROM starts_at) || '-' || extract(epoch FROM ends_at) FROM sched.slot_bounds(
         (SELECT day FROM public.pool_log WHERE tag = 'tz14' AND result = 'ok'), 'evening');
SQL
)
ahead=$(sed -n 1p <<<"$out")
check "5. a client in Etc/GMT-14 ($ahead days ahead of the business) books the window's last day and not the day after" \
  [ "$(sed -n 2,3p <<<"$out" | tr '\n' '|')" = "ok|22023|" ]
want_bounds=$(qtz -c "SELECT extract(epoch FROM starts_at) || '-' || extract(epoch FROM ends_at) FROM sched.slot_bounds(
                        (SELECT day FROM public.pool_log WHERE tag = 'tz14' AND result = 'ok'), 'evening')")
check "5. its slot times are the business's (slot_bounds $(sed -n 4p <<<"$out"))" [ "$(sed -n 4p <<<"$out")" = "$want_bounds" ]
vis=$(qtz -c "SELECT count(*) || '|' || bool_and(v.visit_date = l.day)
                FROM sched.scheduled_visits v JOIN public.pool_log l USING (visit_id)")
check "5. both bookings are on the business's dates, as the business counts them ($vis)" [ "$vis" = "2|true" ]
qtz -c "UPDATE sched.scheduled_visits SET status = 'confirmed'" >/dev/null
rem=$(qtz -c "SELECT count(*) || '|' || bool_and(o.run_at = (SELECT starts_at FROM sched.slot_bounds(v.visit_date, v.time_slot)) - interval '24 hours')
                FROM sched.outbox o JOIN sched.scheduled_visits v ON v.visit_id = o.entity_id
               WHERE o.entity = 'visit' AND o.template = 'visit_reminder_24h' AND o.channel = 'sms'")
check "5. both visits' 24-hour reminders fall 24 h before the business's slot ($rem)" [ "$rem" = "2|true" ]

# d. sched.max_days_ahead set per database reaches every pooled session
# once the pool's server sessions are new (ALTER DATABASE settings apply
# when a server session starts).
q -c "ALTER DATABASE $db SET sched.max_days_ahead = 20" >/dev/null
cat >"$work/window.sql" <<'SQL'
\set u random(1, 1000000000)
BEGIN;
SELECT public.pool_book(':tag', ':tag' || :u, :d, 'morning');
SELECT pg_sleep(0.02);
END;
SQL
bench -c 8 -j 2 -t 3 -D tag=old21 -D d=21 -f "$work/window.sql" "$db" >/dev/null 2>&1 || true
old=$(q -c "SELECT count(*) FILTER (WHERE result = 'ok') || ' of ' || count(*) FROM public.pool_log WHERE tag = 'old21'")
echo "     (before the pool reconnects, its old server sessions booked 21 days ahead: $old)"
bq -d pgbouncer -c "RECONNECT $db" >/dev/null
bench -c 8 -j 2 -t 3 -D tag=new21 -D d=21 -f "$work/window.sql" "$db" >/dev/null 2>&1 || true
bench -c 8 -j 2 -t 3 -D tag=new20 -D d=20 -f "$work/window.sql" "$db" >/dev/null 2>&1 || true
n21=$(q -c "SELECT count(*) FILTER (WHERE result = '22023') || '/' || count(*) || ' in ' || count(DISTINCT pid) || ' sessions' FROM public.pool_log WHERE tag = 'new21'")
n20=$(q -c "SELECT count(*) FILTER (WHERE result = 'ok') || '/' || count(*) || ' in ' || count(DISTINCT pid) || ' sessions' FROM public.pool_log WHERE tag = 'new20'")
fresh=$(q -c "SELECT count(*) FROM public.pool_log WHERE tag IN ('new21', 'new20') AND pid IN (SELECT pid FROM public.pool_log WHERE tag = 'old21')")
check "5. after RECONNECT, no old server session is used ($fresh)" [ "$fresh" -eq 0 ]
check "5. ALTER DATABASE max_days_ahead = 20: every pooled session refuses 21 days ahead ($n21)" \
  bash -c '[[ $1 == 24/24\ in\ * ]] && [ "${1##* in }" != "1 sessions" ]' _ "$n21"
check "5. and books 20 days ahead ($n20)" bash -c '[[ $1 == 24/24\ in\ * ]]' _ "$n20"
q -c "ALTER DATABASE $db RESET sched.max_days_ahead" >/dev/null

if [ $failures -ne 0 ]; then
  echo "pooler: $failures check(s) FAILED" >&2
  exit 1
fi
echo "pooler: ok (story, capacity, fairness, agent changes, settings through pgbouncer in transaction pooling)"
kill "$(cat "$work/pgbouncer.pid")"
for _ in $(seq 1 50); do [ -f "$work/pgbouncer.pid" ] || break; sleep 0.1; done
for d in "$db" "$tzdb"; do dropdb "$d"; done
