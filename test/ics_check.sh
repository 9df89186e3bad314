#!/usr/bin/env bash
# sched.visit_ics read by a real iCalendar parser (Debian's python3-icalendar)
# through a visit's life: booked (TENTATIVE), confirmed, rescheduled and
# cancelled.  The UID stays, SEQUENCE grows with each change, DTSTART and
# DTEND carry the business's zone (also one with daylight-saving time),
# and every line is CRLF-terminated and at most 75 octets.  Then (1.4)
# sched.agent_calendar of a busy agent: a year of 2,000 visits, some
# confirmed, some cancelled, and callbacks, read the same way: the
# events are the pending and confirmed visits and the open callbacks,
# with visit_ics's UIDs, and in Europe/London the calendar's own
# VTIMEZONE gives every event the UTC time of its slot.  Run inside a
# cluster (test/run-in-cluster.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

db=sched_ics_test
work=$(mktemp -d /tmp/sched-ics.XXXXXX)
trap 'rm -rf "$work"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

dropdb --if-exists "$db"
createdb "$db"
q >/dev/null <<'SQL'
CREATE EXTENSION sched;
INSERT INTO sched.agents (name, phone, email) VALUES ('Priya Sharma', '9876543211', 'priya@example.com');
SELECT sched.book_site_visit('u1', 'Brigade Citrine, Phase 2; Tower B', current_date + 5, 'morning',
  'John Doe', '9876543210', 'john@example.com',
  notes => repeat('Interested in a 3BHK, east-facing; will bring spouse. ', 6) || 'देखना चाहते हैं');
SQL
q -c "SELECT sched.visit_ics(1)" > "$work/1.ics"
q -c "SELECT sched.set_visit_status(1, 'confirmed')" >/dev/null
q -c "SELECT sched.visit_ics(1)" > "$work/2.ics"
q -c "SELECT sched.reschedule_visit(1, current_date + 6, 'evening')" >/dev/null
q -c "SELECT sched.visit_ics(1)" > "$work/3.ics"
q -c "SELECT sched.cancel_visit(1)" >/dev/null
q -c "SELECT sched.visit_ics(1)" > "$work/4.ics"
q -c "SET sched.timezone = 'Europe/London'" -c "SELECT sched.visit_ics(1)" > "$work/london.ics"
day5=$(q -c "SELECT to_char(current_date + 5, 'YYYYMMDD')")
day6=$(q -c "SELECT to_char(current_date + 6, 'YYYYMMDD')")
london_offset=$(q -c "SELECT to_char(((current_date + 6 + time '15:00') AT TIME ZONE 'UTC') - ((current_date + 6 + time '15:00') AT TIME ZONE 'Europe/London'), 'HH24MI')")

# An agent's calendar (1.4): a year of a busy agent.  2,000 visits over
# 334 days (two in each slot), every 7th confirmed and every 11th
# cancelled, and four callbacks of which one was answered.
q >/dev/null <<'SQL'
UPDATE sched.agents SET slot_capacity = 3, is_senior = true WHERE agent_id = 1;
SET sched.max_days_ahead = 366;
SELECT count(sched.book_site_visit('bulk' || i, 'Tower ' || (i % 5), current_date + 2 + i / 6,
                                   (ARRAY['morning', 'afternoon', 'evening'])[i % 3 + 1]::sched.time_slot,
                                   'Customer ' || i || ', Bengaluru', '98765' || lpad(i::text, 5, '0'),
                                   notes => CASE WHEN i % 50 = 0 THEN repeat('Wants a corner flat; ', 8) END))
  FROM generate_series(0, 1999) i;
SELECT count(sched.set_visit_status(visit_id, 'confirmed')) FROM sched.scheduled_visits
 WHERE user_id LIKE 'bulk%' AND visit_id % 7 = 0;
SELECT count(sched.cancel_visit(visit_id)) FROM sched.scheduled_visits
 WHERE user_id LIKE 'bulk%' AND visit_id % 11 = 0;
SELECT sched.request_callback('cb' || i, 'Caller ' || i, '98764' || lpad(i::text, 5, '0'),
                              urgency => (ARRAY['urgent', 'high', 'medium', 'low'])[i]::sched.urgency)
  FROM generate_series(1, 4) i;
SELECT sched.set_callback_status(callback_id, 'contacted') FROM sched.callbacks WHERE user_id = 'cb2';
SQL
# the calendar's days: a year from yesterday, so that the callbacks of today are in it whatever the machine's zone
from=$(q -c "SELECT current_date - 1")
to=$(q -c "SELECT current_date + 364")
q -c "SELECT sched.agent_calendar(1, '$from', '$to')" > "$work/agent.ics"
q -c "SELECT sched.visit_ics(v) FROM (VALUES (7), (8)) x(v)" > "$work/invites.txt"
# what the calendar must hold: ref, status, and the slot's start (epoch)
q -F " " -c "SELECT v.ref, v.status::text, extract(epoch FROM b.starts_at)::bigint FROM sched.scheduled_visits v,
               sched.slot_bounds(v.visit_date, v.time_slot) b
             WHERE v.agent_id = 1 AND v.status IN ('pending', 'confirmed') AND v.visit_date BETWEEN '$from' AND '$to'
             UNION ALL
             SELECT c.ref, 'callback', floor(extract(epoch FROM c.due_at))::bigint FROM sched.callbacks c
             WHERE c.agent_id = 1 AND c.next_attempt_at IS NOT NULL" > "$work/expected.txt"
q -c "SET sched.timezone = 'Europe/London'" -c "SELECT sched.agent_calendar(1, '$from', '$to')" > "$work/agent-london.ics"
q -F ' ' -c "SET sched.timezone = 'Europe/London'" \
  -c "SELECT v.ref, extract(epoch FROM b.starts_at)::bigint FROM sched.scheduled_visits v,
        sched.slot_bounds(v.visit_date, v.time_slot) b
      WHERE v.agent_id = 1 AND v.status IN ('pending', 'confirmed') AND v.visit_date BETWEEN '$from' AND '$to'" \
  > "$work/expected-london.txt"

/usr/bin/python3 - "$work" "$day5" "$day6" <<'PY'
import sys, icalendar
work, day5, day6 = sys.argv[1:4]

def lines_ok(name):
    raw = open(f"{work}/{name}", "rb").read()
    # psql adds one newline after the value; the value itself is CRLF lines
    assert raw.endswith(b"\r\n\n"), name
    raw = raw[:-1]
    for line in raw.split(b"\r\n")[:-1]:
        assert len(line) <= 75, (name, line)
        assert b"\n" not in line and b"\r" not in line, (name, line)
    return raw

def load(name):
    cal = icalendar.Calendar.from_ical(lines_ok(name))
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1, name
    return cal, events[0]

seen = []
for name, status, day, start, method in [("1.ics", "TENTATIVE", day5, "090000", "REQUEST"),
                                         ("2.ics", "CONFIRMED", day5, "090000", "REQUEST"),
                                         ("3.ics", "CONFIRMED", day6, "150000", "REQUEST"),
                                         ("4.ics", "CANCELLED", day6, "150000", "CANCEL")]:
    cal, ev = load(name)
    assert str(cal["METHOD"]) == method, (name, cal["METHOD"])
    assert str(ev["STATUS"]) == status, (name, ev["STATUS"])
    start_dt = ev.decoded("DTSTART")
    assert start_dt.strftime("%Y%m%d%H%M%S") == day + start, (name, start_dt)
    assert ev["DTSTART"].params["TZID"] == "Asia/Kolkata", name
    assert start_dt.utcoffset().total_seconds() == 19800, (name, start_dt.utcoffset())
    assert (ev.decoded("DTEND") - start_dt).total_seconds() == 3 * 3600, name
    assert str(ev["SUMMARY"]) == "Site visit: Brigade Citrine, Phase 2; Tower B", ev["SUMMARY"]
    assert str(ev["LOCATION"]) == "Brigade Citrine, Phase 2; Tower B", ev["LOCATION"]
    assert str(ev["ORGANIZER"]) == "mailto:priya@example.com" and ev["ORGANIZER"].params["CN"] == "Priya Sharma"
    assert str(ev["ATTENDEE"]) == "mailto:john@example.com" and ev["ATTENDEE"].params["CN"] == "John Doe"
    desc = str(ev["DESCRIPTION"])
    assert "east-facing; will bring spouse." in desc and desc.endswith("देखना चाहते हैं"), desc
    assert "Your Relationship Manager: Priya Sharma, +919876543211" in desc, desc
    seen.append((str(ev["UID"]), int(ev["SEQUENCE"])))

uids = {u for u, _ in seen}
assert len(uids) == 1, seen
assert [s for _, s in seen] == [0, 1, 2, 3], seen
cal, ev = load("london.ics")
assert ev["DTSTART"].params["TZID"] == "Europe/London"
print("ics_check: ok (UID %s, SEQUENCE 0-3, %s)" % (uids.pop(), " ".join(s for _, s in [(0, "TENTATIVE"), (1, "CONFIRMED"), (2, "moved"), (3, "CANCELLED")])))

def utc_epoch(dt):
    return int(dt.timestamp())

expected = {}
for row in open(f"{work}/expected.txt"):
    ref, status, epoch = row.split()
    expected[ref] = (status, int(epoch))

cal = icalendar.Calendar.from_ical(lines_ok("agent.ics"))
assert "METHOD" not in cal, "a published calendar has no METHOD"
assert str(cal["X-WR-CALNAME"]) == "sched: Priya Sharma", cal["X-WR-CALNAME"]
zones = list(cal.walk("VTIMEZONE"))
assert len(zones) == 1 and str(zones[0]["TZID"]) == "Asia/Kolkata", zones
events = list(cal.walk("VEVENT"))
uids = [str(e["UID"]) for e in events]
assert len(uids) == len(set(uids)), "UIDs are unique"
db = uids[0].split("@", 1)[1]
assert {u.split("@")[0] for u in uids} == set(expected), (len(uids), len(expected))
visits = callbacks = 0
for e in events:
    ref = str(e["UID"]).split("@")[0]
    status, epoch = expected[ref]
    start = e.decoded("DTSTART")
    assert e["DTSTART"].params["TZID"] == "Asia/Kolkata", ref
    assert start.utcoffset().total_seconds() == 19800, (ref, start)
    assert utc_epoch(start) == epoch, (ref, start, epoch)
    if status == "callback":
        callbacks += 1
        assert str(e["TRANSP"]) == "TRANSPARENT" and str(e["STATUS"]) == "CONFIRMED", ref
        assert (e.decoded("DTEND") - start).total_seconds() == 15 * 60, ref
        assert str(e["SUMMARY"]).startswith("Call back: Caller "), e["SUMMARY"]
    else:
        visits += 1
        assert str(e["STATUS"]) == {"pending": "TENTATIVE", "confirmed": "CONFIRMED"}[status], (ref, status)
        assert str(e["TRANSP"]) == "OPAQUE", ref
        assert (e.decoded("DTEND") - start).total_seconds() == 3 * 3600, ref
        assert str(e["SUMMARY"]).startswith("Site visit: Tower ") and ", Bengaluru)" in str(e["SUMMARY"]), e["SUMMARY"]
        assert "Customer: Customer " in str(e["DESCRIPTION"]), e["DESCRIPTION"]
assert visits > 1500 and callbacks == 3, (visits, callbacks)

# the invites of visits 7 (confirmed) and 8 (pending) are the same events
by_uid = {str(e["UID"]): e for e in events}
for inv in open(f"{work}/invites.txt", "rb").read().split(b"END:VCALENDAR\r\n")[:-1]:
    ev = icalendar.Calendar.from_ical(inv.lstrip(b"\n") + b"END:VCALENDAR\r\n").walk("VEVENT")[0]
    mine = by_uid[str(ev["UID"])]
    for prop in ("SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "STATUS", "LOCATION"):
        assert mine[prop].to_ical() == ev[prop].to_ical(), (prop, mine[prop], ev[prop])
    assert mine["DTSTART"].params["TZID"] == ev["DTSTART"].params["TZID"]

# Europe/London: the calendar's own VTIMEZONE (not the parser's tz
# database) turns each local DTSTART into the slot's UTC start, on both
# sides of the changes to and from summer time
expected_london = dict((r.split()[0], int(r.split()[1])) for r in open(f"{work}/expected-london.txt"))
cal = icalendar.Calendar.from_ical(lines_ok("agent-london.ics"))
vtz = cal.walk("VTIMEZONE")[0]
assert str(vtz["TZID"]) == "Europe/London"
assert {c.name for c in vtz.subcomponents} == {"STANDARD", "DAYLIGHT"}, [c.name for c in vtz.subcomponents]
tz = vtz.to_tz()
offsets = set()
n = 0
for e in cal.walk("VEVENT"):
    ref = str(e["UID"]).split("@")[0]
    if ref not in expected_london:
        continue
    assert e["DTSTART"].params["TZID"] == "Europe/London", ref
    local = e["DTSTART"].dt.replace(tzinfo=None)
    start = tz.localize(local)
    offsets.add(start.utcoffset().total_seconds())
    assert utc_epoch(start) == expected_london[ref], (ref, local, start, expected_london[ref])
    n += 1
assert n == len(expected_london) and offsets == {0, 3600}, (n, len(expected_london), offsets)
print("ics_check: agent calendar ok (%d visits, %d callbacks, UIDs as visit_ics, %d London events on both offsets)"
      % (visits, callbacks, n))
PY
# the London invite's offset is the one in force on that day (GMT or BST)
grep -q "TZOFFSETTO:+${london_offset}" "$work/london.ics" || { echo "ics_check: London offset is not +$london_offset" >&2; exit 1; }
dropdb "$db"
