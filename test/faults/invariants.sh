# test/faults/invariants.sh: the load of test/faults/load.py and what must
# hold after it whatever was killed (sourced by test/crash.sh and
# test/failover.sh; psql reaches the server through PGHOST, PGPORT, PGUSER
# and PGDATABASE).
#
#   load_db_setup DB       create DB with sched, three agents of two places
#                          each and the table of acknowledged calls
#   load_ack_read ACKFILE  load.py's acknowledgements into public.crash_ack
#   check NAME SQL WHAT [DETAIL_SQL]
#                          one line, ok or FAIL: SQL gives the number of
#                          offenders; sets failed=1 on FAIL
#   check_acknowledged     every acknowledged visit, callback and move is
#                          there (after a crash, or a failover to a
#                          synchronous standby)
#   check_invariants       what holds whatever was lost: every visit and
#     callback has its one creation history row and its creation jobs in the
#     outbox (docs/api.md "Jobs per event"), every confirmed visit its
#     move's; reminders follow their visit; no agent is over slot_capacity;
#     user_profiles' counters equal the real counts (all bookings ever:
#     counters only grow).
failed=${failed:-0}

load_db_setup() {
  createdb --maintenance-db=postgres "$1"
  psql -X -q -v ON_ERROR_STOP=1 -d "$1" <<SQL
SET client_min_messages = warning;
CREATE EXTENSION sched;
-- independent of the time of day: no business hours to slip into
ALTER DATABASE $1 SET sched.business_hours = '00:00-24:00';
-- three agents of two places each: 6 places a slot, so some slots fill
-- (the load also cancels visits, which frees places again)
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity) VALUES
  ('Agent A', '9876543210', true, 2), ('Agent B', '9876543211', false, 2),
  ('Agent C', '9876543212', false, 2);
CREATE TABLE public.crash_ack (kind text NOT NULL, id bigint NOT NULL, ref text, phone text);
SQL
}

load_ack_read() {
  psql -X -q -v ON_ERROR_STOP=1 -c "TRUNCATE public.crash_ack" \
       -c "\\copy public.crash_ack FROM '$1' WITH (FORMAT csv)"
}

check() { # name, SQL giving the number of offenders, what they are[, detail SQL]
  local name=$1 sql=$2 what=$3 detail=${4:-} n
  if ! n=$(psql -X -At -v ON_ERROR_STOP=1 -c "$sql" 2>&1); then
    echo "  FAIL $name: $n"; failed=1; return
  fi
  if [ "$n" = 0 ]; then
    echo "  ok   $name"
  else
    echo "  FAIL $name: $n $what"; failed=1
    [ -z "$detail" ] || psql -X -c "$detail" 2>&1 | head -20 | sed 's/^/       /'
  fi
}

check_acknowledged() {
  check "acknowledged bookings present" "
    SELECT (SELECT count(*) FROM public.crash_ack a
             WHERE a.kind = 'visit' AND NOT EXISTS (SELECT FROM sched.scheduled_visits v WHERE v.visit_id = a.id))
         + (SELECT count(*) FROM public.crash_ack a
             WHERE a.kind = 'callback' AND NOT EXISTS (SELECT FROM sched.callbacks c WHERE c.callback_id = a.id))" \
    "acknowledged visits or callbacks are missing"
  check "acknowledged moves present" "
    SELECT (SELECT count(*) FROM public.crash_ack a
             WHERE a.kind = 'confirm' AND NOT EXISTS (
                   SELECT FROM sched.scheduled_visits v
                    WHERE v.visit_id = a.id AND v.confirmed_at IS NOT NULL))
         + (SELECT count(*) FROM public.crash_ack a
             WHERE a.kind = 'cancel' AND NOT EXISTS (
                   SELECT FROM sched.scheduled_visits v
                    WHERE v.visit_id = a.id AND v.status = 'cancelled'))" \
    "acknowledged moves to confirmed or cancelled are lost"
}

check_invariants() {
  check "creation history rows" "
    WITH b AS (SELECT 'visit'::sched.entity AS entity, visit_id AS id FROM sched.scheduled_visits
               UNION ALL SELECT 'callback', callback_id FROM sched.callbacks),
         h AS (SELECT entity, entity_id AS id, count(*) AS n FROM sched.status_history
                WHERE from_status IS NULL GROUP BY 1, 2)
    SELECT count(*) FROM b FULL JOIN h USING (entity, id) WHERE h.n IS DISTINCT FROM 1 OR b.id IS NULL" \
    "bookings without exactly one creation history row (or rows without a booking)"
  check "move history rows" "
    WITH h AS (SELECT entity_id AS visit_id,
                      bool_or(to_status = 'confirmed') AS confirmed,
                      bool_or(to_status = 'cancelled') AS cancelled
                 FROM sched.status_history WHERE entity = 'visit' GROUP BY 1)
    SELECT count(*) FROM sched.scheduled_visits v LEFT JOIN h USING (visit_id)
     WHERE (v.confirmed_at IS NOT NULL) IS DISTINCT FROM h.confirmed
        OR (v.status = 'cancelled') IS DISTINCT FROM h.cancelled" \
    "visits whose status moves and history rows disagree"
  # the jobs each booking must have (docs/api.md "Jobs per event"), against
  # those it has: counted, then listed when they differ
  local jobs="
    WITH want AS (
      SELECT 'visit'::sched.entity AS entity, visit_id AS id, 'sms'::sched.channel AS channel, 'visit_booked' AS template
        FROM sched.scheduled_visits
      UNION ALL SELECT 'visit', visit_id, 'email', 'visit_booked'
        FROM sched.scheduled_visits WHERE contact_email IS NOT NULL
      UNION ALL SELECT 'visit', visit_id, 'agent', 'visit_assigned'
        FROM sched.scheduled_visits WHERE agent_id IS NOT NULL
      UNION ALL SELECT 'visit', visit_id, 'sms', 'visit_confirmed'
        FROM sched.scheduled_visits WHERE confirmed_at IS NOT NULL
      UNION ALL SELECT 'visit', visit_id, 'email', 'visit_confirmed'
        FROM sched.scheduled_visits WHERE confirmed_at IS NOT NULL AND contact_email IS NOT NULL
      UNION ALL SELECT 'visit', visit_id, c.channel, 'visit_cancelled'
        FROM sched.scheduled_visits, LATERAL (VALUES ('sms'::sched.channel), ('email'), ('agent')) c(channel)
       WHERE status = 'cancelled'
         AND (c.channel <> 'email' OR contact_email IS NOT NULL)
         AND (c.channel <> 'agent' OR agent_id IS NOT NULL)
      -- a booking writes the reminders due within sched.reminder_horizon of
      -- it (nothing claims here, so those due later are not written yet)
      UNION ALL SELECT 'visit', visit_id, r.channel, r.template
        FROM sched.scheduled_visits v, sched.slot_bounds(v.visit_date, v.time_slot) b,
             LATERAL (VALUES ('sms'::sched.channel, 'visit_reminder_24h', interval '24 hours'),
                             ('email', 'visit_reminder_24h', interval '24 hours'),
                             ('sms', 'visit_reminder_1h', interval '1 hour')) r(channel, template, lead)
       WHERE v.user_id <> 'notify_probe'
         AND (r.channel <> 'email' OR v.contact_email IS NOT NULL)
         AND b.starts_at - r.lead > v.created_at
         AND b.starts_at - r.lead <= v.created_at + coalesce(current_setting('sched.reminder_horizon', true), '2 days')::interval
      UNION ALL SELECT 'callback', callback_id, 'sms', 'callback_requested' FROM sched.callbacks
      UNION ALL SELECT 'callback', callback_id, 'email', 'callback_requested'
        FROM sched.callbacks WHERE contact_email IS NOT NULL
      UNION ALL SELECT 'callback', callback_id, 'agent', 'callback_assigned'
        FROM sched.callbacks WHERE agent_id IS NOT NULL)
    , have AS (SELECT entity, entity_id AS id, channel, template, count(*) AS n
                 FROM sched.outbox o
                -- the probes book 0-2 days ahead: some reminders are rightly skipped
                WHERE NOT (template LIKE 'visit_reminder%' AND entity_id IN (
                           SELECT visit_id FROM sched.scheduled_visits WHERE user_id = 'notify_probe'))
                GROUP BY 1, 2, 3, 4)
"
  check "creation jobs" "$jobs
    SELECT count(*) FROM want w FULL JOIN have h USING (entity, id, channel, template)
     WHERE h.n IS DISTINCT FROM 1 OR w.id IS NULL" \
    "jobs missing, doubled or unexplained" "$jobs
    SELECT w.entity, coalesce(w.template, h.template) AS template, coalesce(w.channel, h.channel) AS channel,
           CASE WHEN h.n IS NULL THEN 'missing' WHEN w.id IS NULL THEN 'unexplained' ELSE 'doubled' END AS what,
           count(*), min(coalesce(w.id, h.id)) AS first_id
      FROM want w FULL JOIN have h USING (entity, id, channel, template)
     WHERE h.n IS DISTINCT FROM 1 OR w.id IS NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
  check "reminder states" "
    SELECT count(*) FROM sched.outbox o JOIN sched.scheduled_visits v
           ON o.entity = 'visit' AND o.entity_id = v.visit_id
     WHERE o.template LIKE 'visit_reminder%'
       AND (o.state = 'cancelled') <> (v.status NOT IN ('pending', 'confirmed'))" \
    "reminders not cancelled with their visit, or cancelled with it live"
  check "no agent over capacity" "
    SELECT count(*) FROM (
      SELECT v.agent_id, v.visit_date, v.time_slot
        FROM sched.scheduled_visits v JOIN sched.agents a USING (agent_id)
       WHERE v.status IN ('pending', 'confirmed')
       GROUP BY v.agent_id, v.visit_date, v.time_slot, a.slot_capacity
      HAVING count(*) > a.slot_capacity) s" \
    "agent, date and slot over capacity"
  check "profile counts" "
    WITH real AS (
      SELECT user_id, sum(v) AS visits, sum(c) AS callbacks FROM (
        SELECT user_id, 1 AS v, 0 AS c FROM sched.scheduled_visits
        UNION ALL SELECT user_id, 0, 1 FROM sched.callbacks) b
       GROUP BY user_id)
    SELECT count(*) FROM real r FULL JOIN sched.user_profiles p USING (user_id)
     WHERE r.visits IS DISTINCT FROM p.site_visits_scheduled::numeric
        OR r.callbacks IS DISTINCT FROM p.callbacks_requested::numeric" \
    "users whose profile counters differ from their bookings"
}
