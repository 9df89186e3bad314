#!/usr/bin/env bash
# sched.visit_ics read by a real iCalendar parser (Debian's python3-icalendar)
# through a visit's life: booked (TENTATIVE), confirmed, rescheduled and
# cancelled.  The UID stays, SEQUENCE grows with each change, DTSTART and
# DTEND carry the business's zone (also one with daylight-saving time),
# and every line is CRLF-terminated and at most 75 octets.  Run inside a
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

/usr/bin/python3 - "$work" "$day5" "$day6" <<'PY'
import sys, icalendar
work, day5, day6 = sys.argv[1:4]

def load(name):
    raw = open(f"{work}/{name}", "rb").read()
    # psql adds one newline after the value; the value itself is CRLF lines
    assert raw.endswith(b"\r\n\n"), name
    raw = raw[:-1]
    for line in raw.split(b"\r\n")[:-1]:
        assert len(line) <= 75, (name, line)
        assert b"\n" not in line and b"\r" not in line, (name, line)
    cal = icalendar.Calendar.from_ical(raw)
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
PY
# the London invite's offset is the one in force on that day (GMT or BST)
grep -q "TZOFFSETTO:+${london_offset}" "$work/london.ics" || { echo "ics_check: London offset is not +$london_offset" >&2; exit 1; }
dropdb "$db"
