#!/usr/bin/env bash
# sched.mark_no_shows and sched.escalate_overdue_callbacks run by pg_cron
# exactly as docs/api.md tells a DBA to schedule them (every 15 and 5
# minutes there; every minute here, so the test waits at most a minute): a
# visit still pending after its slot ended becomes a no-show, and a
# callback nobody reached by its deadline is escalated to the senior
# agent, with no session of ours calling anything.  Run inside
# pg_virtualenv with shared_preload_libraries=sched,pg_cron,
# cron.database_name=postgres and cron.use_background_workers=on
# (test/run-all.sh does).
set -euo pipefail
db=sched_cron
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

dropdb --if-exists "$db"
createdb "$db"
q -d "$db" >/dev/null <<'SQL'
CREATE EXTENSION sched;
INSERT INTO sched.agents (name, phone) VALUES ('Cron Agent', '9876543211');
-- a visit from two days ago that nobody closed: an import keeps its past date
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone,
                                    agent_id, created_at)
VALUES ('u1', 'Brigade Citrine', current_date - 2, 'morning', 'Missed Customer', '9876543210', 1, now() - interval '5 days');
-- and one still ahead
SELECT sched.book_site_visit('u2', 'Brigade Citrine', current_date + 2, 'morning', 'Future Customer', '9876543220');
-- a callback requested yesterday that nobody reached (an import: it joins
-- the queue due by its deadline, long past), and one requested now
UPDATE sched.agents SET is_senior = true;
INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, urgency, agent_id, created_at)
VALUES ('u3', 'Waiting Customer', '9876543230', 'high', 1, now() - interval '1 day');
SELECT sched.request_callback('u4', 'New Customer', '9876543240', urgency => 'low');
SQL
q -d postgres -c "CREATE EXTENSION IF NOT EXISTS pg_cron" >/dev/null
q -d postgres -c "SELECT cron.schedule_in_database('sched-no-shows', '* * * * *', 'SELECT sched.mark_no_shows()', '$db')" >/dev/null
q -d postgres -c "SELECT cron.schedule_in_database('sched-overdue', '* * * * *', 'SELECT sched.escalate_overdue_callbacks()', '$db')" >/dev/null

for _ in $(seq 1 80); do
  [ "$(q -d "$db" -c "SELECT status FROM sched.scheduled_visits WHERE visit_id = 1")" = "no_show" ] &&
    [ "$(q -d "$db" -c "SELECT count(*) FROM sched.callbacks WHERE escalated_at IS NOT NULL")" = 1 ] && break
  sleep 1
done
status=$(q -d "$db" -c "SELECT string_agg(status::text, ',' ORDER BY visit_id) FROM sched.scheduled_visits")
history=$(q -d "$db" -c "SELECT count(*) FROM sched.status_history WHERE entity_id = 1 AND to_status = 'no_show'")
runs=$(q -d postgres -c "SELECT count(*) FROM cron.job_run_details WHERE status = 'succeeded' AND command LIKE '%mark_no_shows%'")
escalated=$(q -d "$db" -c "SELECT string_agg(user_id || ':' || (escalated_at IS NOT NULL), ',' ORDER BY callback_id) FROM sched.callbacks")
notes=$(q -d "$db" -c "SELECT count(*) FROM sched.outbox WHERE template = 'callback_overdue' AND recipient = '+919876543211'")
q -d postgres -c "SELECT cron.unschedule('sched-no-shows')" >/dev/null
q -d postgres -c "SELECT cron.unschedule('sched-overdue')" >/dev/null
if [ "$status" != "no_show,pending" ] || [ "$history" != 1 ] || [ "$runs" -lt 1 ] ||
   [ "$escalated" != "u3:true,u4:false" ] || [ "$notes" != 1 ]; then
  echo "cron: statuses $status, no_show history rows $history, successful cron runs $runs, escalated $escalated, senior notes $notes" >&2
  q -d postgres -c "SELECT status, return_message FROM cron.job_run_details" >&2
  exit 1
fi
echo "cron: ok (pg_cron ran sched.mark_no_shows(): the missed visit is a no-show, the future one untouched; and sched.escalate_overdue_callbacks(): yesterday's callback escalated to the senior once, today's not)"
dropdb "$db"
