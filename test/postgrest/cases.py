"""The requests of test/postgrest/run.sh and what a client of PostgREST 12
must get for each: the HTTP status (docs/api.md, docs/errors.md,
docs/roles.md) and key parts of the JSON body.  Ground truth (whose rows
are whose) is read as the superuser, never assumed."""
import argparse
import datetime as dt
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pgrst import VERSION, Conn, PostgREST, read_config, sign_jwt, split_query  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--db", required=True)
ap.add_argument("--conf", required=True, help="the PostgREST config file (docs/clients/postgrest.conf)")
ap.add_argument("-v", "--verbose", action="store_true")
opts = ap.parse_args()

CONF = read_config(opts.conf)
SECRET = CONF["jwt-secret"]


def start_postgrest():
    """PostgREST with the config file's settings; the authenticator over the cluster's socket."""
    return PostgREST(f"dbname={opts.db} user=authenticator",
                     schemas=[s.strip() for s in CONF["db-schemas"].split(",")],
                     anon_role=CONF["db-anon-role"], jwt_secret=SECRET,
                     extra_search_path=[s.strip() for s in CONF.get("db-extra-search-path", "public").split(",")],
                     role_claim_key=CONF.get("jwt-role-claim-key", ".role"))


su = Conn(f"dbname={opts.db}")                      # PGHOST/PGPORT/PGUSER: the cluster's superuser
su.simple("LOAD 'sched'")


def q(sql):
    """One value, as the superuser."""
    rows = su.simple(sql)
    return next(iter(rows[0].values())) if rows else None


def ids(sql):
    return [int(r[next(iter(r))]) for r in su.simple(sql)]


TODAY = dt.date.fromisoformat(q("SELECT ((now() AT TIME ZONE current_setting('sched.timezone'))::date)::text"))


def day(n):
    return (TODAY + dt.timedelta(days=n)).isoformat()


pgrst = start_postgrest()


def token(**claims):
    return sign_jwt(claims, SECRET)


TOK = {
    "cust_a": token(sub="cust_a", role="web_customer"),
    "cust_b": token(sub="cust_b", role="web_customer"),
    "cust_nosub": token(role="web_customer"),
    "anon": token(role="web_anon"),
    "agent_x": token(sub="auth0|priya", role="web_agent"),
    "agent_y": token(sub="auth0|rajesh", role="web_agent"),
    "agent_unknown": token(sub="auth0|nobody", role="web_agent"),
    "admin": token(sub="ops@example.com", role="sales_admin"),
    "backend": token(role="chat_backend"),
    "worker": token(role="sched_worker"),
    "superuser": token(sub="x", role="postgres"),
    None: None,
}

failures = 0
count = 0


def call(who, method, path, expect, body=None, code=None, check=None, note=""):
    """One request; prints its line; returns the response."""
    global failures, count
    count += 1
    p, _, qs = path.partition("?")
    raw = body if body is None or isinstance(body, str) else json.dumps(body)
    r = pgrst.request(method, p, split_query(qs), raw, TOK[who])
    problems = []
    if r.status != expect:
        problems.append(f"status {r.status}")
    if code is not None and r.code != code:
        problems.append(f"code {r.code}, not {code}")
    if check is not None and not problems:
        try:
            msg = check(r.body)
        except Exception as e:                       # a body of the wrong shape
            msg = f"{type(e).__name__}: {e}"
        if msg:
            problems.append(msg)
    ok = not problems
    extra = (f" {r.code}" if r.code else "") + (f" (after {r.retries} x 40001)" if r.retries else "")
    shown = urllib.parse.unquote(path)
    print(f"{'ok  ' if ok else 'FAIL'} {who or 'no token':13} {method:4} {shown:62} {expect} {r.status}{extra}"
          + (f"  # {note}" if note else ""))
    if not ok:
        failures += 1
        print(f"       -> {'; '.join(problems)}; body: {json.dumps(r.body)[:600]}")
        if opts.verbose:
            for sql, params in r.statements:
                print(f"       SQL {sql}\n           {params}")
    return r


def eq(want, what=""):
    return lambda got: None if got == want else f"{what or 'value'} {got!r}, want {want!r}"


def message_is(text):
    return lambda b: None if b["message"] == text else f"message {b['message']!r}"


def message_starts(text):
    return lambda b: None if b["message"].startswith(text) else f"message {b['message']!r}"


def all_of(*checks):
    def run(b):
        for c in checks:
            m = c(b)
            if m:
                return m
        return None
    return run


BOOK = {"project": "Brigade Citrine", "time_slot": "morning",
        "contact_name": "John Doe", "contact_phone": "+91 98765 43210"}
CUSTOMER_COLUMNS = {"visit_id", "ref", "project", "visit_date", "time_slot", "starts_at", "ends_at",
                    "status", "created_at", "confirmed_at", "completed_at", "cancelled_at", "updated_at",
                    "agent_name", "agent_phone", "contact_name", "contact_phone", "contact_email", "notes"}


def visit_row(date, slot="morning", status="pending"):
    def run(b):
        if set(b) != CUSTOMER_COLUMNS:
            return f"columns {sorted(b)}: not my_visits'"
        if (b["visit_date"], b["time_slot"], b["status"]) != (date, slot, status):
            return f"visit {b['visit_date']} {b['time_slot']} {b['status']}"
        return None
    return run


def id_list(key, want):
    return lambda b: None if [x[key] for x in b] == want else f"{key}s {[x[key] for x in b]}, want {want}"


def id_set(key, want):
    return lambda b: None if sorted(x[key] for x in b) == sorted(want) else \
        f"{key}s {sorted(x[key] for x in b)}, want {sorted(want)}"


print(f"PostgREST {VERSION} model; business today {TODAY} ({q('SHOW sched.timezone')}); "
      f"session TimeZone {q('SHOW TimeZone')}; "
      f"{sum(len(v) for v in pgrst.routines.values())} functions of schema sched in the schema cache")
print("res  role          meth path                                                           exp got")

# ---------------------------------------------------------------------------
print("\n== customer A books")
a1 = call("cust_a", "POST", "/rpc/book_my_visit", 200,
          dict(BOOK, visit_date=day(2), contact_email="John.Doe@Example.COM", idempotency_key="a-1"),
          check=all_of(visit_row(day(2)), lambda b: None if b["contact_phone"] == "+919876543210"
                       and b["contact_email"] == "John.Doe@example.com" else "contact not normalised"),
          note="the my_visits row, no team-only columns").body
A1 = a1["visit_id"]
call("cust_a", "POST", "/rpc/book_my_visit", 200,
     dict(BOOK, visit_date=day(2), contact_email="John.Doe@Example.COM", idempotency_key="a-1"),
     check=lambda b: eq(A1, "visit_id")(b["visit_id"]), note="same key: the first booking")
call("cust_a", "GET", "/rpc/book_my_visit?" + urllib.parse.urlencode(dict(BOOK, visit_date=day(3))), 405,
     code="25006", note="GET runs READ ONLY: a writing call fails")
call("cust_a", "POST", "/rpc/book_my_visit", 404, {k: v for k, v in dict(BOOK, visit_date=day(3)).items()
                                                   if k != "contact_phone"},
     code="PGRST202", note="a required argument left out: no function matches")
call("cust_a", "POST", "/rpc/book_my_visit", 404, dict(BOOK, visit_date=day(3), user_id="cust_b"),
     code="PGRST202", note="no user_id argument: cannot name another user")
call("cust_a", "POST", "/rpc/book_my_visit", 400, dict(BOOK, visit_date="2026-02-30"), code="22008")
call("cust_a", "POST", "/rpc/book_my_visit", 400, dict(BOOK, visit_date="next friday"), code="22007")
call("cust_a", "POST", "/rpc/book_my_visit", 400, dict(BOOK, visit_date=day(-2)), code="22023",
     check=message_is("visit_date must not be in the past"))
call("cust_a", "POST", "/rpc/book_my_visit", 400, dict(BOOK, visit_date=day(3), time_slot="night"),
     code="22P02")
call("cust_a", "POST", "/rpc/book_my_visit", 400,
     dict(BOOK, visit_date=day(3), contact_name="John http://evil.example"), code="22023",
     check=message_is("contact_name must not contain a link or markup"))
call("cust_a", "POST", "/rpc/book_my_visit", 400, dict(BOOK, visit_date=day(3), contact_phone=None),
     code="22004", check=message_is("contact_phone must not be null"), note="JSON null is NULL")
call("cust_a", "POST", "/rpc/book_my_visit", 400, dict(BOOK, visit_date=day(3), contact_phone="12345"),
     code="22023", check=message_is("contact_phone is not a plausible phone number"))
call("cust_a", "POST", "/rpc/book_my_visit", 400, '{"project": "Brigade Citrine",', code="PGRST102",
     note="not JSON: PostgREST's own 400")
A2 = call("cust_a", "POST", "/rpc/book_my_visit", 200, dict(BOOK, visit_date=day(3)),
          check=visit_row(day(3))).body["visit_id"]
A3 = call("cust_a", "POST", "/rpc/book_my_visit", 200, dict(BOOK, visit_date=day(4)),
          check=visit_row(day(4))).body["visit_id"]
call("cust_a", "POST", "/rpc/book_my_visit", 429, dict(BOOK, visit_date=day(5)), code="PT429",
     check=message_starts("this user already has 3 open visits"), note="a 4th open visit")
call("cust_a", "POST", "/rpc/book_my_visit", 200,
     dict(BOOK, visit_date=day(2), contact_email="John.Doe@Example.COM", idempotency_key="a-1"),
     check=lambda b: eq(A1, "visit_id")(b["visit_id"]), note="a repeated key is answered, not limited")

print("\n== customer A's callbacks")
call("cust_a", "POST", "/rpc/request_my_callback", 200,
     {"contact_name": "John Doe", "contact_phone": "9876543210", "reason": "Price", "urgency": "urgent"},
     check=lambda b: None if b["urgency"] == "urgent" and b["status"] == "pending"
     and dt.datetime.fromisoformat(b["due_at"]) - dt.datetime.fromisoformat(b["created_at"])
     == dt.timedelta(minutes=30) else f"callback {b}", note="due in 30 min at any hour (00:00-24:00)")
call("cust_a", "POST", "/rpc/request_my_callback", 200,
     {"contact_name": "John Doe", "contact_phone": "9876543210"},
     check=lambda b: None if b["urgency"] == "medium" else f"urgency {b['urgency']}", note="defaults")
call("cust_a", "POST", "/rpc/request_my_callback", 429,
     {"contact_name": "John Doe", "contact_phone": "9876543210"}, code="PT429", note="a 3rd in the queue")
call("cust_a", "POST", "/rpc/request_my_callback", 400,
     {"contact_name": "John Doe", "contact_phone": "9876543210", "urgency": "asap"}, code="22P02")

print("\n== customer B, and what each customer sees")
B1 = call("cust_b", "POST", "/rpc/book_my_visit", 200,
          dict(BOOK, visit_date=day(2), contact_name="Asha Rao", contact_phone="98765 43220"),
          check=visit_row(day(2))).body["visit_id"]
a_ids = ids("SELECT visit_id FROM sched.scheduled_visits WHERE user_id = 'cust_a' ORDER BY visit_id")
b_ids = ids("SELECT visit_id FROM sched.scheduled_visits WHERE user_id = 'cust_b' ORDER BY visit_id")
a_pending_by_date = ids("SELECT visit_id FROM sched.scheduled_visits WHERE user_id = 'cust_a' "
                        "AND status = 'pending' ORDER BY visit_date, visit_id")
call("cust_a", "GET", "/my_visits?status=eq.pending&order=visit_date", 200,
     check=all_of(id_list("visit_id", a_pending_by_date),
                  lambda b: None if all(x["status"] == "pending" for x in b) else "a row not pending"),
     note="only A's")
call("cust_b", "GET", "/my_visits", 200, check=id_set("visit_id", b_ids), note="only B's")
call("cust_b", "GET", f"/my_visits?visit_id=eq.{A1}", 200, check=eq([], "rows"),
     note="A's visit by id: nothing")
call("cust_b", "GET", "/my_visits?user_id=eq.cust_a", 400, code="42703", note="no user_id column")
call("cust_a", "GET", "/my_callbacks?order=due_at", 200, check=lambda b: None if len(b) == 2 else f"{len(b)} rows")
call("cust_a", "GET", "/rpc/my_schedule", 200,
     check=lambda b: None if sorted(v["visit_id"] for v in b["visits"]) == a_ids and len(b["callbacks"]) == 2
     else f"schedule {b}")
call("cust_b", "GET", "/rpc/my_schedule", 200,
     check=lambda b: None if sorted(v["visit_id"] for v in b["visits"]) == b_ids and b["callbacks"] == []
     else f"schedule {b}", note="only B's")
call("cust_a", "POST", "/rpc/my_schedule", 200, "{}", note="STABLE: POST runs READ ONLY, fine")
# (1.4) a customer abroad: their zone, and the slot on their clock in my_schedule
call("cust_a", "POST", "/rpc/set_my_time_zone", 200, {"zone": "america/new_york"},
     check=eq("America/New_York", "zone"), note="the tz database's spelling")
call("cust_a", "POST", "/rpc/set_my_time_zone", 400, {"zone": "Mars/Olympus_Mons"}, code="22023",
     check=message_is("zone is not a time zone"))
call("cust_a", "GET", "/rpc/my_schedule", 200,
     check=lambda b: None if b["visits"] and all(v["slot_label"].endswith(" in New York)") for v in b["visits"])
     else f"labels {[v.get('slot_label') for v in b['visits']]}")
call("cust_b", "GET", "/rpc/my_schedule", 200,
     check=lambda b: None if b["visits"] and all(v["slot_label"].endswith(" IST") for v in b["visits"])
     else f"labels {[v.get('slot_label') for v in b['visits']]}", note="B has no zone")
call("cust_a", "GET", f"/rpc/slot_label?visit_date={day(3)}&time_slot=morning&zone=Europe/London", 200,
     check=lambda b: None if isinstance(b, str) and b.endswith(" in London)") else f"label {b!r}")
call("cust_a", "POST", "/rpc/set_time_zone_for", 403, {"user_id": "cust_b", "zone": "UTC"}, code="42501")
# (1.4) WhatsApp, with the opt-in
call("cust_a", "POST", "/rpc/set_my_channel", 200, {"channel": "whatsapp", "opt_in": True},
     check=lambda b: None if b[0]["preferred_channel"] == "whatsapp" and b[0]["whatsapp_opt_in_at"] else f"{b}")
call("cust_a", "POST", "/rpc/set_my_channel", 400, {"channel": "whatsapp", "opt_in": False}, code="22023",
     check=message_is("WhatsApp needs the customer's opt-in"))
call("cust_a", "POST", "/rpc/set_my_channel", 200, {"channel": "sms", "opt_in": False},
     check=lambda b: None if b[0]["preferred_channel"] == "sms" and b[0]["whatsapp_opt_in_at"] is None else f"{b}")
# (1.4) the chat in one call: a table of one row, as PostgREST returns a set
call("cust_a", "POST", "/rpc/chat_turn", 200, {"channel": "whatsapp", "message_id": "wamid.1", "message": "I want to visit the site"},
     check=lambda b: None if len(b) == 1 and b[0]["state"] == "collecting" and b[0]["visit_id"] is None else f"{b}")
call("cust_a", "POST", "/rpc/chat_turn", 200, {"channel": "whatsapp", "message_id": "wamid.1", "message": "something else"},
     check=lambda b: None if b[0]["state"] == "collecting" else f"{b}", note="the same message id: the first answer")
call("cust_a", "POST", "/rpc/chat_turn", 400, {"channel": "fax", "message_id": "wamid.2", "message": "hi"}, code="22P02")
call("cust_a", "POST", "/rpc/chat_turn_for", 403, {"user_id": "cust_b", "channel": "sms", "message_id": "m", "message": "hi"},
     code="42501")
call("cust_a", "GET", "/rpc/available_slots?project=Brigade%20Citrine&days=2", 200,
     check=lambda b: None if b and all(x["visit_date"] >= TODAY.isoformat() for x in b) else f"slots {b}")

print("\n== customer A cancels and moves")
call("cust_a", "POST", "/rpc/cancel_my_visit", 200, {"visit_id": A3, "reason": "travelling"},
     check=lambda b: None if b["visit_id"] == A3 and b["status"] == "cancelled" else f"{b}")
call("cust_a", "POST", "/rpc/cancel_my_visit", 404, {"visit_id": B1}, code="PT404",
     check=message_is(f"visit {B1} does not exist"), note="B's visit: as if missing")
call("cust_a", "POST", "/rpc/cancel_my_visit", 404, {"visit_id": 999999}, code="PT404",
     check=message_is("visit 999999 does not exist"))
call("cust_a", "POST", "/rpc/cancel_my_visit", 409, {"visit_id": A3}, code="PT409", note="already cancelled")
call("cust_a", "POST", "/rpc/cancel_my_visit", 400, {"visit_id": "seven"}, code="22P02")
A4 = call("cust_a", "POST", "/rpc/book_my_visit", 200, dict(BOOK, visit_date=day(5)),
          check=visit_row(day(5)), note="room again after the cancel").body["visit_id"]
call("cust_a", "POST", "/rpc/reschedule_my_visit", 200,
     {"visit_id": A2, "visit_date": day(6), "time_slot": "afternoon"}, check=visit_row(day(6), "afternoon"))
call("cust_a", "POST", "/rpc/reschedule_my_visit", 404,
     {"visit_id": B1, "visit_date": day(6), "time_slot": "afternoon"}, code="PT404")
call("cust_a", "POST", "/rpc/reschedule_my_visit", 400,
     {"visit_id": A2, "visit_date": day(-2), "time_slot": "afternoon"}, code="22023")
call("cust_a", "POST", "/rpc/reschedule_my_visit", 404, {"visit_id": A2, "visit_date": day(6)},
     code="PGRST202", note="time_slot has no default")

print("\n== no user in the token, anonymous, wrong role")
call("cust_nosub", "POST", "/rpc/book_my_visit", 403, dict(BOOK, visit_date=day(3)), code="42501",
     check=message_is("this call needs the user of the request"))
call("cust_nosub", "GET", "/rpc/my_schedule", 403, code="42501")
call("cust_nosub", "POST", "/rpc/set_my_time_zone", 403, {"zone": "UTC"}, code="42501")
call("anon", "POST", "/rpc/chat_turn", 401, {"channel": "whatsapp", "message_id": "x1", "message": "hi"}, code="42501")
call("anon", "POST", "/rpc/set_my_time_zone", 401, {"zone": "UTC"}, code="42501")
call("cust_nosub", "GET", "/my_visits", 200, check=eq([], "rows"), note="the view shows nothing")
call("anon", "POST", "/rpc/book_my_visit", 401, dict(BOOK, visit_date=day(3)), code="42501")
call("anon", "GET", "/my_visits", 401, code="42501")
call("anon", "GET", "/rpc/available_slots?project=Brigade%20Citrine", 401, code="42501")
call(None, "POST", "/rpc/book_my_visit", 401, dict(BOOK, visit_date=day(3)), code="42501", note="no token")
call("cust_a", "POST", "/rpc/book_site_visit", 403, dict(BOOK, visit_date=day(3), user_id="cust_b"),
     code="42501", check=message_is("permission denied for function book_site_visit"),
     note="the back end's call")
call("cust_a", "GET", "/rpc/list_visits", 403, code="42501")
call("cust_a", "GET", "/scheduled_visits", 403, code="42501", note="the table")
call("superuser", "GET", "/my_visits", 403, code="42501",
     note="a token naming a role the authenticator is not granted")

print("\n== agents")
X = int(q("SELECT agent_id FROM sched.agents WHERE login = 'auth0|priya'"))
Y = int(q("SELECT agent_id FROM sched.agents WHERE login = 'auth0|rajesh'"))
x_items = [("visit", i) for i in ids(f"SELECT visit_id FROM sched.scheduled_visits WHERE agent_id = {X}")] + \
          [("callback", i) for i in ids(f"SELECT callback_id FROM sched.callbacks WHERE agent_id = {X}")]
x_visit = q(f"SELECT min(visit_id) FROM sched.scheduled_visits WHERE agent_id = {X} AND status = 'pending'")
y_visit = q(f"SELECT min(visit_id) FROM sched.scheduled_visits WHERE agent_id = {Y} AND status = 'pending'")
x_callback = q(f"SELECT min(callback_id) FROM sched.callbacks WHERE agent_id = {X}")
assert x_visit and y_visit and x_callback, "round robin gave X or Y no pending visit, or X no callback"
call("agent_x", "GET", "/my_assignments", 200,
     check=lambda b: None if sorted((x["entity"], x["id"]) for x in b) == sorted(x_items) else
     f"items {sorted((x['entity'], x['id']) for x in b)}, want {sorted(x_items)}", note="only X's")
call("agent_x", "GET", "/my_assignments?entity=eq.visit&status=eq.pending&order=visit_date", 200,
     check=lambda b: None if b and all(x["entity"] == "visit" and x["status"] == "pending" for x in b)
     else f"{b}")
call("agent_x", "POST", "/rpc/set_my_visit_status", 200,
     {"visit_id": int(x_visit), "status": "confirmed", "rm_notes": "called, bringing spouse"},
     check=lambda b: None if (b["id"], b["status"], b["agent_notes"]) ==
     (int(x_visit), "confirmed", "called, bringing spouse") else f"{b}")
call("agent_x", "POST", "/rpc/set_my_visit_status", 404, {"visit_id": int(y_visit), "status": "confirmed"},
     code="PT404", note="Y's visit")
call("agent_x", "POST", "/rpc/set_my_visit_status", 409, {"visit_id": int(x_visit), "status": "pending"},
     code="PT409", check=message_is("illegal visit status change from confirmed to pending"))
call("agent_x", "POST", "/rpc/set_my_visit_status", 400, {"visit_id": int(x_visit), "status": "done"},
     code="22P02")
call("agent_x", "POST", "/rpc/set_my_callback_status", 200,
     {"callback_id": int(x_callback), "status": "contacted", "call_duration_s": 120},
     check=lambda b: None if (b["entity"], b["status"]) == ("callback", "contacted") else f"{b}")
call("agent_y", "POST", "/rpc/set_my_callback_status", 404,
     {"callback_id": int(x_callback), "status": "completed"}, code="PT404", note="X's callback")
call("agent_unknown", "POST", "/rpc/set_my_visit_status", 403,
     {"visit_id": int(y_visit), "status": "confirmed"}, code="42501",
     check=message_is("the user of the request is not an active agent"))
call("agent_unknown", "GET", "/my_assignments", 200, check=eq([], "rows"))
call("agent_x", "POST", "/rpc/book_my_visit", 403, dict(BOOK, visit_date=day(3)), code="42501")
# (1.4) an agent's calendar: their own through my_calendar, anyone's through the admin call
x_uid = q(f"SELECT ref || '@' || current_database() || '.sched' FROM sched.scheduled_visits WHERE visit_id = {x_visit}")
y_uid = q(f"SELECT ref || '@' || current_database() || '.sched' FROM sched.scheduled_visits WHERE visit_id = {y_visit}")


def calendar_with(has, lacks):
    return lambda b: None if isinstance(b, str) and b.startswith("BEGIN:VCALENDAR") and \
        f"UID:{has}" in b and f"UID:{lacks}" not in b else f"calendar {str(b)[:200]!r}"


call("agent_x", "GET", f"/rpc/my_calendar?date_from={day(0)}&date_to={day(60)}", 200,
     check=calendar_with(x_uid, y_uid), note="X's visit, not Y's")
call("admin", "GET", f"/rpc/agent_calendar?agent_id={Y}&date_from={day(0)}&date_to={day(60)}", 200,
     check=calendar_with(y_uid, x_uid), note="Y's")
call("admin", "GET", f"/rpc/agent_calendar?agent_id=999999&date_from={day(0)}&date_to={day(60)}", 404,
     code="PT404")
call("admin", "GET", f"/rpc/agent_calendar?agent_id={Y}&date_from={day(9)}&date_to={day(1)}", 400,
     code="22023", check=message_is("date_from must not be after date_to"))
call("agent_unknown", "GET", f"/rpc/my_calendar?date_from={day(0)}&date_to={day(60)}", 403, code="42501")
for who in ("cust_a", "agent_x", "worker", "backend"):
    call(who, "GET", f"/rpc/agent_calendar?agent_id={X}&date_from={day(0)}&date_to={day(60)}", 403, code="42501")
call("cust_a", "GET", f"/rpc/my_calendar?date_from={day(0)}&date_to={day(60)}", 403, code="42501")
call("anon", "GET", f"/rpc/my_calendar?date_from={day(0)}&date_to={day(60)}", 401, code="42501")
call("agent_x", "GET", "/my_visits", 403, code="42501")

print("\n== the back end (chat service)")
C1 = call("backend", "POST", "/rpc/book_site_visit", 200,
          dict(BOOK, user_id="cust_c", visit_date=day(7), time_slot="evening", contact_name="Ravi Iyer",
               contact_phone="98765 43230", lead_score=70),
          check=lambda b: None if (b["user_id"], b["lead_score"], b["status"]) == ("cust_c", 70, "pending")
          else f"{b}", note="the scheduled_visits row").body["visit_id"]
call("backend", "POST", "/rpc/book_site_visit", 404, dict(BOOK, visit_date=day(7)), code="PGRST202",
     note="user_id is required")
call("backend", "GET", "/rpc/available_slots?project=Brigade%20Citrine", 200,
     check=lambda b: None if b and all(TODAY.isoformat() <= x["visit_date"] <= day(6) for x in b)
     and set(b[0]) == {"visit_date", "time_slot", "starts_at", "ends_at", "free"} else f"{b[:2]}",
     note="7 days from the business's today")
taken = int(q(f"SELECT count(*) FROM sched.scheduled_visits WHERE visit_date = '{day(2)}' "
              "AND time_slot = 'morning' AND status IN ('pending', 'confirmed')"))
call("backend", "GET", f"/rpc/available_slots?project=Brigade%20Citrine&date_from={day(2)}&days=1", 200,
     check=lambda b: None if [(x["time_slot"], x["free"]) for x in b] ==
     [("morning", 3 - taken), ("afternoon", 3), ("evening", 3)] else f"{[(x['time_slot'], x['free']) for x in b]}",
     note=f"3 agents, {taken} taken in the morning")
session_tomorrow = q("SELECT 'tomorrow'::date::text")
call("backend", "GET", "/rpc/available_slots?project=Brigade%20Citrine&date_from=tomorrow&days=1", 200,
     check=lambda b: None if b and all(x["visit_date"] == session_tomorrow for x in b) else f"{b}",
     note="'tomorrow' is a date: the session's (TimeZone) tomorrow")
call("backend", "GET", "/rpc/available_slots?project=Brigade%20Citrine&days=0", 400, code="22023")
call("backend", "GET", "/rpc/user_schedule?user_id=cust_a", 200,
     check=lambda b: None if sorted(v["visit_id"] for v in b["visits"]) ==
     ids("SELECT visit_id FROM sched.scheduled_visits WHERE user_id = 'cust_a' ORDER BY 1") else f"{b}")
call("backend", "POST", "/rpc/cancel_visit", 403, {"visit_id": C1}, code="42501", note="an admin call")
call("backend", "POST", "/rpc/chat_turn_for", 200,
     {"user_id": "cust_c", "channel": "whatsapp", "message_id": "wamid.c1", "message": "please call me back"},
     check=lambda b: None if b[0]["state"] == "collecting" else f"{b}")
call("backend", "POST", "/rpc/set_time_zone_for", 200, {"user_id": "cust_c", "zone": "Asia/Dubai"},
     check=eq("Asia/Dubai", "zone"))
call("backend", "POST", "/rpc/set_time_zone_for", 400, {"user_id": "cust_c", "zone": "EST5EDT"}, code="22023",
     note="a POSIX rule, not a place")

print("\n== the sales team (admin)")
call("admin", "POST", "/rpc/set_visit_status", 200, {"visit_id": B1, "status": "confirmed", "rm_notes": "ok"},
     check=lambda b: None if (b["visit_id"], b["status"], b["rm_notes"], b["user_id"]) ==
     (B1, "confirmed", "ok", "cust_b") else f"{b}", note="the scheduled_visits row")
call("admin", "POST", "/rpc/set_visit_status", 409, {"visit_id": B1, "status": "pending"}, code="PT409")
call("admin", "POST", "/rpc/set_visit_status", 404, {"visit_id": 999999, "status": "confirmed"}, code="PT404")
call("admin", "POST", "/rpc/set_visit_status", 404, {"visit_id": B1}, code="PGRST202",
     note="status left out")
pending = ids("SELECT visit_id FROM sched.scheduled_visits WHERE status = 'pending' "
              "ORDER BY visit_date, time_slot, visit_id")
call("admin", "GET", "/rpc/list_visits?status=pending", 200, check=id_list("visit_id", pending),
     note="an argument")
call("admin", "GET", "/rpc/list_visits?status=eq.pending", 200, check=id_list("visit_id", pending),
     note="a FILTER on the result of list_visits()")
call("admin", "GET", "/rpc/list_visits?status=cancelled&max_rows=1", 200, check=id_list("visit_id", [A3]),
     note="argument: the first cancelled visit")
call("admin", "GET", "/rpc/list_visits?status=eq.cancelled&max_rows=1", 200, check=eq([], "rows"),
     note="filter: the first visit, if cancelled")
call("admin", "GET", "/rpc/list_visits?status=pending&project=eq.Brigade%20Citrine", 200,
     check=id_list("visit_id", pending), note="a filter on a column")
call("admin", "GET", "/rpc/list_visits?status=pending&project=Brigade%20Citrine", 404, code="PGRST202",
     note="a plain value is an argument: there is none")
call("admin", "GET", "/rpc/list_visits?status=bogus", 400, code="22P02")
call("admin", "POST", "/rpc/list_visits", 200, {"status": "pending"}, check=id_list("visit_id", pending))
call("admin", "POST", "/rpc/list_visits?status=pending", 400, code="PGRST100",
     note="on POST every query parameter is a filter")
call("admin", "GET", "/scheduled_visits?user_id=eq.cust_b&select=*", 200, check=id_set("visit_id", b_ids))

print("\n== the worker, and retry_job")
claimed = call("worker", "POST", "/rpc/claim_jobs", 200, {"worker": "w1", "max_jobs": 3},
               check=lambda b: None if len(b) == 3 and all(j["state"] == "claimed" and j["claimed_by"] == "w1"
                                                           for j in b) else f"{b}").body
J1, J2, J3 = claimed[0]["job_id"], claimed[1]["job_id"], claimed[2]["job_id"]
call("worker", "POST", "/rpc/complete_job", 200, {"job_id": J1}, check=lambda b: eq("done", "state")(b["state"]))
call("worker", "POST", "/rpc/complete_job", 409, {"job_id": J1}, code="PT409", note="not claimed any more")
call("worker", "POST", "/rpc/complete_job", 404, {"job_id": 999999}, code="PT404")
call("worker", "POST", "/rpc/fail_job", 200, {"job_id": J2, "error": "smtp 451: try later"},
     check=lambda b: eq("dead", "state")(b["state"]), note="sched.job_max_attempts = 1")
call("worker", "POST", "/rpc/fail_job_permanently", 200, {"job_id": J3, "error": "invalid number"},
     check=lambda b: eq("dead", "state")(b["state"]), note="1.4: a provider's refusal for good")
call("worker", "POST", "/rpc/fail_job_permanently", 409, {"job_id": J3, "error": "again"}, code="PT409")
# (1.4) the busy times of an agent's calendar, synced by the worker (or an admin)
BUSY = [{"external_id": "evt-1", "starts_at": f"{day(20)}T10:00:00+05:30", "ends_at": f"{day(20)}T11:00:00+05:30"}]
call("worker", "POST", "/rpc/sync_agent_busy", 200, {"agent_id": X, "source": "google", "busy": BUSY},
     check=eq(1, "blocks kept"))
call("admin", "POST", "/rpc/sync_agent_busy", 200, {"agent_id": X, "source": "google", "busy": []},
     check=eq(0, "blocks kept"), note="[] clears the source")
call("worker", "POST", "/rpc/sync_agent_busy", 400, {"agent_id": X, "source": "google", "busy": {"a": 1}},
     code="22023", check=message_is("busy must be a JSON array"))
call("worker", "POST", "/rpc/sync_agent_busy", 404, {"agent_id": 999999, "source": "google", "busy": []},
     code="PT404")
call("cust_a", "POST", "/rpc/sync_agent_busy", 403, {"agent_id": X, "source": "google", "busy": []}, code="42501")
call("agent_x", "POST", "/rpc/sync_agent_busy", 403, {"agent_id": X, "source": "google", "busy": []}, code="42501")
call("worker", "POST", "/rpc/fail_job_permanently", 404, {"job_id": J3}, code="PGRST202",
     note="error left out: PostgREST finds a function by its argument names, and none has job_id alone")
call("worker", "POST", "/rpc/claim_jobs", 400, {"worker": "w1", "max_jobs": 0}, code="22023")
call("worker", "GET", "/my_visits", 403, code="42501")
pending_job = int(q("SELECT min(job_id) FROM sched.outbox WHERE state = 'pending'"))
call("admin", "POST", "/rpc/retry_job", 409, {"job_id": pending_job}, code="PT409",
     check=message_is(f"job {pending_job} cannot be retried: it is pending, not dead"))
call("admin", "POST", "/rpc/retry_job", 409, {"job_id": J1}, code="PT409", note="done")
call("admin", "POST", "/rpc/retry_job", 404, {"job_id": 999999}, code="PT404")
call("admin", "POST", "/rpc/retry_job", 200, {"job_id": J2}, check=lambda b: eq("pending", "state")(b["state"]),
     note="the dead one")
call("worker", "POST", "/rpc/retry_job", 403, {"job_id": J2}, code="42501")

print("\n== 40001: PostgREST 12 replays the transaction")
su.simple("ALTER ROLE sales_admin SET default_transaction_isolation = 'repeatable read'")
pgrst.reload_config()                                # NOTIFY pgrst, 'reload config'


def dba_edits_first_time(attempt):
    if attempt == 0:                                 # a DBA's edit commits after the snapshot
        su.simple(f"UPDATE sched.scheduled_visits SET rm_notes = 'edited by the DBA' WHERE visit_id = {A4}")


pgrst.before_main = dba_edits_first_time
r = call("admin", "POST", "/rpc/set_visit_status", 200, {"visit_id": A4, "status": "confirmed"},
         check=lambda b: None if (b["status"], b["rm_notes"]) == ("confirmed", "edited by the DBA") else f"{b}",
         note="REPEATABLE READ role, a concurrent edit")
pgrst.before_main = None
if r.retries != 1:
    failures += 1
    print(f"FAIL       -> expected exactly one replay after 40001, got {r.retries}")
su.simple("ALTER ROLE sales_admin RESET default_transaction_isolation")
pgrst.reload_config()

print("\n== ALTER ROLE ... SET sched.*: what PostgREST 12 applies")
open_a = int(q("SELECT count(*) FROM sched.scheduled_visits WHERE user_id = 'cust_a' "
               "AND status IN ('pending', 'confirmed')"))
assert open_a == 3, f"customer A has {open_a} open visits, not 3"
su.simple("ALTER ROLE web_customer SET sched.max_open_visits_per_user = '10'")
pgrst.reload_config()
call("cust_a", "POST", "/rpc/book_my_visit", 429, dict(BOOK, visit_date=day(8)), code="PT429",
     note="superuser-only setting: dropped")
su.simple("GRANT SET ON PARAMETER sched.max_open_visits_per_user TO authenticator")
fresh = start_postgrest()
preloaded = "sched" in q("SHOW shared_preload_libraries").split(",")
saved, pgrst = pgrst, fresh
call("cust_a", "POST", "/rpc/book_my_visit", 200 if preloaded else 429, dict(BOOK, visit_date=day(8)),
     note="GRANT SET, fresh start: " + ("sched preloaded, applied" if preloaded else
                                        "sched.* not in pg_settings yet, dropped"))
pgrst = saved
pgrst.reload_config()                                # this connection has loaded sched
call("cust_a", "POST", "/rpc/book_my_visit", 200, dict(BOOK, visit_date=day(9)),
     note="GRANT SET, reload on a connection that loaded sched: applied")
su.simple("ALTER ROLE web_customer RESET sched.max_open_visits_per_user")
su.simple("REVOKE SET ON PARAMETER sched.max_open_visits_per_user FROM authenticator")
pgrst.reload_config()
fresh.conn.close()

print(f"\n{count} requests, {failures} failed")
sys.exit(1 if failures else 0)
