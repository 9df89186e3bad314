#!/usr/bin/python3
"""test/fuzz_sql.py: hostile SQL calls to every sched function, as every role.

    test/cluster.sh /usr/bin/python3 test/fuzz_sql.py [--calls N] [--seed S]

Run it inside a cluster (test/cluster.sh exports PGHOST, PGPORT and PGUSER
of a superuser).  Use Debian's /usr/bin/python3 (python3-psycopg2); a
pyenv python first on PATH may not have psycopg2.

It drops and creates its own database (sched_fuzz_sql), creates sched, a
few agents (some with logins, one senior, one inactive, one with no room),
leave and a project list, and the roles (NOLOGIN, created only if missing,
since roles belong to the whole cluster):

    fz_customer  sched.grant_customer_calls     fz_admin   grant_admin_calls
    fz_agent     sched.grant_agent_calls        fz_worker  grant_worker_calls
    fz_backend   sched.grant_user_calls         fz_anon    nothing

plus the superuser itself.  Every function of schema sched is found in
pg_proc, so a new one is called without changing this file; trigger
functions are skipped, and the grant_/revoke_ functions are called only
as the superuser and only with role names that are not the fz_ roles
(unknown names, "-", "0", the superuser).  The views of sched are read
too.

Each call is one transaction on one connection (as PostgREST's
authenticator does it): BEGIN with a random isolation level (sometimes
READ ONLY, as PostgREST runs a GET), random session settings with
set_config(..., true) (TimeZone, DateStyle, IntervalStyle, forced
parallel query, lock_timeout, search_path, plan_cache_mode, scans, and for
the superuser sched.* settings and session_replication_role), the role
(set_config('role', ..., true), as SET LOCAL ROLE), random
request.jwt.claims (a real customer's or agent's sub, garbage, huge,
unicode, numbers, objects, malformed JSON, the legacy claim), then the
call with arguments generated per type and argument name (NULLs, empty,
blank and 100 kB strings, control characters, emoji, right-to-left text,
SQL-looking and link-looking text, far dates and infinity, extreme and
missing ids, wrong enum labels, wrong casts, ...), by name or by
position, sometimes leaving out defaulted arguments; then COMMIT or, on an
error, ROLLBACK.  From --projects-at of the calls on, sched.projects has
rows (before, it is empty and any project can be booked).  During
--block-rate of the calls another session holds a lock (a table lock, or
a visit's, callback's, job's or agent's row) and the call's lock_timeout
is short; before --reconnect-rate of them the calls move to a new session,
half of them one that has not loaded sched yet (its first call loads it,
under that call's settings and role).  Arguments are mostly valid ones
(a customer's own visit ids, a claimed or dead job, the next status) with
one or more hostile ones, so the calls get past their first check.

It fails (exit 1, printing the seed, the call's number, role, settings,
claims and statement, and the error) when
  - the connection is lost or the server ends the session,
  - a call raises a SQLSTATE that is not allowed (ALLOWED_CLASSES and
    ALLOWED_CODES below: what docs/errors.md documents, all of class 22,
    and the usual PostgreSQL outcomes of the arguments and settings this
    uses); XX000, class 58, P0001, 23502, 42P01 and everything else fail,
  - a WARNING reaches the client, or the server log (read when it is
    $PGHOST/server.log, as test/cluster.sh writes it) shows a crash,
    an assertion or a leak,
  - an invariant (INVARIANTS below) is broken, checked every
    --check-every calls and at the end, as the superuser,
  - a session-level advisory lock outlives a call,
  - a NOTIFY sched payload is not the small JSON of docs/api.md (or names
    a person), or a call that rolled back sent one,
  - sched.visit_ics (or, 1.4, agent_calendar or my_calendar) gives a
    line that is not CRLF-terminated or is longer than 75 octets, or a
    result is not valid UTF-8.
The statement_timeout of every call is 5 s; a 57014 is allowed and every
statement that hits it is printed at the end (a slow path is a bug too).

The random choices are a function of --seed (printed at start; the default
comes from the clock), so a failure is replayed with the same seed and
--calls; what the database holds also depends on the day and hour (the
booking window, slots that are over), so a replay at another time may go
elsewhere.  The full text of a failing statement is written to a file
whose name is printed.  The database's log_min_messages is FATAL, so that
the server log does not fill with the calls' errors (and their 100 kB
values); crashes, assertion failures and PANICs are still logged.

Bugs it found that are not fixed yet are in KNOWN_BUGS; the run fails on
them unless they are named with --known-bug NAME (then they are counted).
"""

import argparse
import collections
import datetime
import json
import os
import random
import re
import sys
import tempfile
import time

import psycopg2
import psycopg2.extensions

DB = "sched_fuzz_sql"
BUSINESS_TZ = "Asia/Kolkata"

# ---------------------------------------------------------------------------
# SQLSTATEs a call may end with.  Anything else fails the run.

ALLOWED_CLASSES = {
    "22": "data exception: bad input (22004, 22023, 22P02, 22007, 22008, 22003, 22021, 22P05, ...)",
}
ALLOWED_CODES = {
    "23503": "an agent that does not exist (documented)",
    "23505": "an idempotency key committed after the snapshot (REPEATABLE READ / SERIALIZABLE, documented)",
    "42501": "not granted, no user in the request, not an active agent",
    "42883": "no such function: a wrong argument name or type (the harness's wrong casts)",
    "PT404": "no such row (sched)",
    "PT409": "conflict (sched)",
    "PT429": "too many open items (sched)",
    "0A000": "feature not supported (documented cases)",
    "25006": "read-only transaction (the READ ONLY transactions this runs)",
    "40001": "serialization failure (REPEATABLE READ / SERIALIZABLE)",
    "40P01": "deadlock",
    "55P03": "lock not available (lock_timeout)",
    "57014": "statement timeout (reported)",
    "54000": "program limit exceeded (PostgreSQL's own: null character, too large a value)",
    "54001": "stack depth (PostgreSQL's JSON parser on deeply nested claims)",
}
# allowed only from the grant and revoke calls, which take a regrole
GRANT_CODES = {
    "42704": "no such role",
    "42602": "an invalid role name",
    "42601": "a regrole given as the bare OID of no role ('0', '-', '1'): the grant call's EXECUTE "
             "writes 'GRANT ... TO 1' and fails with a syntax error (errors.md promises 42704)",
}
# allowed only when the call's settings explain them
CONDITIONAL_CODES = {
    "55000": ("session_replication_role", "replica",
              "sched's triggers would not fire (session_replication_role = replica)"),
}

# Bugs found by this fuzzer and not fixed yet.  None is skipped unless
# named with --known-bug NAME (so the run fails on them by default); each
# entry says what it is and which outcome it excuses: the SQLSTATE, a
# pattern of the message, and the settings it needs.
KNOWN_BUGS = {
    "parallel-latest-snapshot": {
        "about": "With parallel query forced (force_parallel_mode / debug_parallel_query on or regress, "
                 "which any role may set), sched.available_slots always, and sched.visit_ics whenever the "
                 "session's copy of the agents is (re)read (its first use in a session, or after a change "
                 "to the agents, leave or projects), raise XX000 'cannot update SecondarySnapshot during a "
                 "parallel operation', in any statement not wrapped in a PARALLEL UNSAFE function. "
                 "PARALLEL RESTRICTED keeps them out of the workers, but the planner still runs the "
                 "whole statement in parallel mode, where GetLatestSnapshot() is refused "
                 "(availability_calls.c:126; plans.c SchedReadRows). pgTAP 240 passes only because "
                 "pgTAP's is() and ok() are PARALLEL UNSAFE and its session has read the agents already.",
        "sqlstate": "XX000",
        "message": r"cannot update SecondarySnapshot during a parallel operation",
        "settings": lambda st: st.get("force_parallel_mode", st.get("debug_parallel_query", "off")) != "off",
    },
    "parallel-first-load": {
        "about": "In a session that has not loaded sched yet, the first call of a SECURITY DEFINER sched "
                 "function that may run in parallel mode (user_schedule, my_schedule, list_visits, ...) with "
                 "parallel query forced loads the library inside the parallel operation: _PG_init's "
                 "custom settings cannot take the database's values (ALTER DATABASE ... SET sched.*), the "
                 "client gets WARNING 'parameter \"sched.x\" cannot be set during a parallel operation', "
                 "and the forced calls of that session run with the defaults: with sched.user_id_claim = "
                 "'uid' set for the database, my_schedule as a customer role answers with the rows of the "
                 "token's 'sub' instead of its 'uid'.",
        "sqlstate": "WARNING",
        "message": r'parameter "sched\.[a-z_]+" cannot be set during a parallel operation',
        "settings": lambda st: st.get("force_parallel_mode", st.get("debug_parallel_query", "off")) != "off",
    },
}

# ---------------------------------------------------------------------------
# The set-up.

ROLES = {
    "fz_customer": "grant_customer_calls",
    "fz_agent": "grant_agent_calls",
    "fz_backend": "grant_user_calls",
    "fz_admin": "grant_admin_calls",
    "fz_worker": "grant_worker_calls",
    "fz_anon": None,
}
SUPERUSER = "(superuser)"

AGENTS = [
    # name, phone, email, senior, visits, callbacks, active, slot_capacity, daily cap, login
    ("Asha Rao", "+91 98765 43001", "asha@example.com", True, True, True, True, 2, None, "agent_asha"),
    ("Vikram Iyer", "+91 98765 43002", None, False, True, True, True, 1, 2, "agent_vikram"),
    ("Meera Nair", "+91 98765 43003", "meera@example.com", False, True, False, True, 3, None, None),
    ("Dev Kapoor", "+91 98765 43004", None, False, False, True, True, 1, None, "agent_dev"),
    ("Old Hand", "+91 98765 43005", None, True, True, True, False, 1, None, "agent_old"),
    ("Zero Room", "+91 98765 43006", None, False, True, False, True, 0, None, "agent_zero"),
]
AGENT_LOGINS = ["agent_asha", "agent_vikram", "agent_dev", "agent_old", "agent_zero"]
AGENT_KEYS = {"set_my_visit_status", "set_my_callback_status", "view:my_assignments"}

USERS = ["user_1", "user_2", "user_3", "user_4", "cust_ü", "user 7", "1701"]
PROJECTS = ["Brigade Citrine", "Prestige Lakeside", "Sobha Dream Acres", "Ghost Towers", "Godrej Air"]
PHASE2_PROJECTS = [("Brigade Citrine", "Whitefield, Bengaluru", True),
                   ("Prestige Lakeside", None, True),
                   ("Ghost Towers", "Nowhere", True),
                   ("Sobha Dream Acres", None, False)]

SETUP_SQL = """
ALTER DATABASE {db} SET sched.business_hours = '00:00-24:00';
ALTER DATABASE {db} SET sched.job_max_attempts = 1;
-- errors are the point here: keep them (and their 100 kB values) out of the
-- server log; crashes, PANICs and the postmaster's messages still go there
ALTER DATABASE {db} SET log_min_messages = 'fatal';
ALTER DATABASE {db} SET log_min_error_statement = 'panic';
"""

# ---------------------------------------------------------------------------
# Hostile values.

TEXT_HOSTILE = [
    "", " ", "   \t\n  ", "\u00a0", "\u3000", "\u200b", "\ufeff",
    "a\x01b", "\x1b[31mred", "\x7f", "line1\nline2", "tab\there", "\r", "\x0b", "\x0c", "a\x00b",
    "😀", "👨‍👩‍👧‍👦", "🇮🇳🇮🇳", "e\u0301" * 150, "\U0010ffff", "\uffff", "\ufffd",
    "مرحبا بالعالم", "שלום", "\u202eevil\u202c", "\u200fRTL\u200e", "اسم 12 name",
    "x';DROP TABLE sched.agents;--", "' OR 1=1 --", "$1", "%s", "%(x)s", "\\", "\\x00", "E'\\x00'",
    "NULL", "null", "\\N", "''", '"', "${jndi:ldap://x}", "{0}", "%n%n%n",
    "http://evil.example", "HTTPS://x.y", "www.example.com", "a://b", "<script>alert(1)</script>",
    "\uff1cb\uff1e", "\ufe64b", "evil.example",
    "John Doe", "Ñandú Pérez", "李小龙", "O'Brien", "  padded  ",
    "+91 98765 43210", "9876543210", "a@b.co", "John.Doe@Example.COM",
    "site_visit", "callback", "morning", "pending", "urgent", "yes", "ok",
]
PHONES_VALID = ["+91 98765 43210", "9876543210", "+1 (415) 555-0100", "0091 98765 43211",
                "098765-43213", "919876543214", "+44 20 7946 0958", "98765.43215", "(987) 654-3216"]
PHONES_HOSTILE = ["+0", "+", "++91 98765 43210", "9" * 16, "+999999999999999", "12345", "98765 4321a",
                  "+91 08765 43210", "+1 415 555 010", "0", "00", "+91-98765-43210 ext 5", "９８７６５４３２１０",
                  "+91 98765 43210 +", "(((())))", "- . ()", "+" + "1" * 40, "٩٨٧٦٥٤٣٢١٠"]
EMAILS_VALID = ["a@b.co", "John.Doe@Example.COM", "  Mixed.Case+tag@Sub.EXAMPLE.Co.IN  ",
                "x@xn--80ak6aa92e.com", "o'brien@example.org"]
EMAILS_HOSTILE = ["a@@b.com", "x" * 65 + "@a.com", "a@" + "b" * 250 + ".com", "a@b", "a..b@c.com",
                  ".a@b.com", "a.@b.com", "a@-b.com", "a@b.c1", "a@[127.0.0.1]", '"q"@b.com',
                  "ü@b.com", "a@bü.com", "@", "a@", "@b.com", "a b@c.com"]
NAMES_VALID = ["John Doe", "Priya Sharma", "Ñandú Pérez", "李小龙", "O'Brien", "Zoë 🙂", "محمد علي"]
NOTES_VALID = ["Interested in 3BHK", "bring spouse\nand kids", "tab\tseparated", "call after 6pm"]
MESSAGES = ["I want to visit the site this Saturday morning",
            "My name is John Doe, phone +91 98765 43210, I'm free this Saturday morning",
            "please call me back", "don't call me", "yes", "ok", "sure", "tomorrow evening",
            "18 Jan at 10am", "2026-01-18", "18/01/2026", "31/02/2026", "next friday after lunch",
            "email me at a@b.co", "no", "visit tour see the property", "callback callback " * 50,
            "1" * 5000, "today today today", "around 4 pm", "+91 98765 43210 " * 100]
TZS = ["UTC", "Asia/Kolkata", "Etc/GMT-14", "Etc/GMT+12", "Pacific/Kiritimati", "America/St_Johns",
       "Asia/Kathmandu", "Australia/Lord_Howe", "Europe/London", "America/Los_Angeles", "Pacific/Chatham",
       "America/Sao_Paulo", "EST5EDT", "Europe/Dublin"]
DATESTYLES = ["ISO, MDY", "ISO, DMY", "ISO, YMD", "SQL, DMY", "SQL, MDY", "Postgres, MDY",
              "Postgres, DMY", "German"]
INTERVALSTYLES = ["postgres", "postgres_verbose", "sql_standard", "iso_8601"]
SEARCH_PATHS = ["public", "sched", '"$user", public', "pg_temp", "sched, public", "nonexistent", "''"]

ENUM_BAD = ["night", "MORNING", "", " morning", "morning ", "Pending", "asap", "done", "0", "null",
            "urgent\n", "😀", "x';--"]


class Value:
    """An argument as SQL text, and a short form for printing."""
    __slots__ = ("sql", "show")

    def __init__(self, sql, show=None):
        self.sql = sql
        self.show = show if show is not None else (sql if len(sql) <= 160 else
                                                    sql[:120] + "...<%d chars>..." % len(sql) + sql[-20:])


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.hist = collections.Counter()
        self.by_func = collections.defaultdict(collections.Counter)
        self.by_role = collections.defaultdict(collections.Counter)
        self.timeouts = []
        self.calls_ok = 0
        self.today = None
        self.pools = {}
        self.version = 0
        self.phase2 = False
        self.owned = {}
        self.notifies = 0
        self.recent = collections.deque(maxlen=20)
        self.sub = None

    # -- connections ---------------------------------------------------------

    def connect(self, dbname, autocommit=True):
        conn = psycopg2.connect(dbname=dbname, application_name="fuzz_sql")
        conn.autocommit = autocommit
        return conn

    def quote(self, v):
        a = psycopg2.extensions.adapt(v)
        if hasattr(a, "prepare"):
            a.prepare(self.admin)
        return a.getquoted().decode("utf-8")

    def setup(self):
        boot = self.connect("postgres")
        cur = boot.cursor()
        cur.execute("SHOW server_version_num")
        self.version = int(cur.fetchone()[0])
        cur.execute("DROP DATABASE IF EXISTS %s WITH (FORCE)" % DB)
        cur.execute("CREATE DATABASE %s" % DB)
        for role in ROLES:
            try:
                cur.execute("DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%s') "
                            "THEN CREATE ROLE %s NOLOGIN; END IF; END$$" % (role, role))
            except (psycopg2.errors.DuplicateObject, psycopg2.errors.UniqueViolation):
                pass            # another test made it at the same moment
        cur.execute("SELECT current_user")
        self.superuser = cur.fetchone()[0]
        boot.close()

        self.admin = self.connect(DB)
        cur = self.admin.cursor()
        cur.execute("CREATE EXTENSION sched")
        cur.execute(SETUP_SQL.format(db=DB))
        for role, grant in ROLES.items():
            if grant:
                cur.execute("SELECT sched.%s(%s)" % (grant, self.quote(role)))
        for a in AGENTS:
            cur.execute("INSERT INTO sched.agents (name, phone, email, is_senior, handles_visits, "
                        "handles_callbacks, active, slot_capacity, daily_visit_cap, login) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", a)
        cur.execute("SELECT agent_id, name FROM sched.agents ORDER BY agent_id")
        ids = {name: aid for aid, name in cur.fetchall()}
        self.agent_ids = sorted(ids.values())
        cur.execute("INSERT INTO sched.project_agents VALUES ('Prestige Lakeside', %s), "
                    "('Prestige Lakeside', %s), ('Ghost Towers', %s)",
                    (ids["Vikram Iyer"], ids["Old Hand"], ids["Old Hand"]))
        # leave: Meera all of the business's day after tomorrow, Asha one afternoon
        cur.execute("SET TimeZone = %s" % self.quote(BUSINESS_TZ))
        cur.execute("INSERT INTO sched.agent_time_off (agent_id, starts_at, ends_at, reason) "
                    "SELECT %s, d, d + interval '1 day', 'leave' "
                    "FROM (SELECT (current_date + 2)::timestamptz AS d) s", (ids["Meera Nair"],))
        cur.execute("INSERT INTO sched.agent_time_off (agent_id, starts_at, ends_at) "
                    "SELECT %s, starts_at, ends_at FROM sched.slot_bounds(current_date + 5, 'afternoon')",
                    (ids["Asha Rao"],))
        cur.execute("RESET TimeZone")

        # every function of schema sched
        cur.execute("""
            SELECT p.proname, p.pronargdefaults, p.proretset,
                   p.prorettype = 'trigger'::regtype,
                   ARRAY(SELECT format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, i)
                          ORDER BY i),
                   coalesce(p.proargnames, '{}'), coalesce(p.proargmodes::text[], '{}'), p.prokind::text
              FROM pg_proc p WHERE p.pronamespace = 'sched'::regnamespace ORDER BY 1, p.oid""")
        self.funcs = []
        self.skipped = []
        for name, ndef, retset, trig, types, names, modes, kind in cur.fetchall():
            if trig or kind != "f":
                self.skipped.append(name)
                continue
            if modes:
                names = [n for n, m in zip(names, modes) if m in ("i", "b", "v")]
            names = (list(names) + [""] * len(types))[:len(types)]
            self.funcs.append({"name": name, "types": types, "names": names,
                               "required": len(types) - ndef, "retset": retset,
                               "grant": name.startswith("grant_") or name.startswith("revoke_")})
        cur.execute("SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'sched'::regnamespace "
                    "AND c.relkind = 'v' ORDER BY 1")
        self.views = [r[0] for r in cur.fetchall()]
        # who may call what, to call mostly as a role that may
        self.may = collections.defaultdict(set)
        for f in self.funcs:
            self.may[f["name"]].add(SUPERUSER)
            for role in ROLES:
                cur.execute("SELECT has_function_privilege(%s, p.oid, 'EXECUTE') FROM pg_proc p "
                            "WHERE p.pronamespace = 'sched'::regnamespace AND p.proname = %s",
                            (role, f["name"]))
                if any(r[0] for r in cur.fetchall()):
                    self.may[f["name"]].add(role)
        for v in self.views:
            self.may["view:" + v].add(SUPERUSER)
            for role in ROLES:
                cur.execute("SELECT has_table_privilege(%s, %s, 'SELECT')", (role, "sched." + v))
                if cur.fetchone()[0]:
                    self.may["view:" + v].add(role)

        self.parallel_guc = "debug_parallel_query" if self.version >= 160000 else "force_parallel_mode"
        self.log_path = os.path.join(os.environ.get("PGHOST", ""), "server.log")
        self.log_start = os.path.getsize(self.log_path) if os.access(self.log_path, os.R_OK) else None
        self.open_fuzz_connection()
        self.blocker = self.connect(DB)
        self.blocker.cursor().execute("SET lock_timeout = '2s'")
        self.refresh()

    def open_fuzz_connection(self, load=True):
        """The session the calls run in.  A cold one (load=False) loads sched in its first call,
        under that call's settings and role."""
        self.conn = self.connect(DB)
        cur = self.conn.cursor()
        cur.execute("SELECT pg_backend_pid()")
        self.fuzz_pid = cur.fetchone()[0]
        if load:
            cur.execute("LOAD 'sched'")
        cur.execute("LISTEN sched")
        cur.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
        self.mem_start = int(cur.fetchone()[0])
        self.session_calls = 0

    # -- what exists -----------------------------------------------------------

    def refresh(self):
        cur = self.admin.cursor()
        cur.execute("""
            SELECT (now() AT TIME ZONE coalesce(current_setting('sched.timezone', true), 'Asia/Kolkata'))::date::text,
                   ARRAY(SELECT visit_id FROM sched.scheduled_visits ORDER BY visit_id DESC LIMIT 40),
                   ARRAY(SELECT visit_id FROM sched.scheduled_visits WHERE status = 'completed'
                          ORDER BY visit_id DESC LIMIT 10),
                   ARRAY(SELECT visit_id FROM sched.scheduled_visits WHERE status = 'confirmed'
                          ORDER BY visit_id DESC LIMIT 10),
                   ARRAY(SELECT callback_id FROM sched.callbacks ORDER BY callback_id DESC LIMIT 40),
                   ARRAY(SELECT job_id FROM sched.outbox ORDER BY job_id DESC LIMIT 30),
                   ARRAY(SELECT job_id FROM sched.outbox WHERE state = 'claimed' ORDER BY job_id DESC LIMIT 20),
                   ARRAY(SELECT job_id FROM sched.outbox WHERE state = 'dead' ORDER BY job_id DESC LIMIT 10),
                   coalesce((SELECT max(visit_id) FROM sched.scheduled_visits), 0),
                   coalesce((SELECT max(callback_id) FROM sched.callbacks), 0),
                   coalesce((SELECT max(job_id) FROM sched.outbox), 0)""")
        (today, visits, completed, confirmed, callbacks, jobs, claimed, dead, maxv, maxc, maxj) = cur.fetchone()
        # whose items are whose: a customer's visits, an agent's visits and callbacks
        cur.execute("""
            SELECT 'visit', user_id, (array_agg(visit_id ORDER BY visit_id DESC))[1:20]
              FROM sched.scheduled_visits GROUP BY user_id
            UNION ALL
            SELECT 'visit', a.login, (array_agg(v.visit_id ORDER BY v.visit_id DESC))[1:20]
              FROM sched.scheduled_visits v JOIN sched.agents a USING (agent_id) WHERE a.login IS NOT NULL
             GROUP BY a.login
            UNION ALL
            SELECT 'callback', a.login, (array_agg(c.callback_id ORDER BY c.callback_id DESC))[1:20]
              FROM sched.callbacks c JOIN sched.agents a USING (agent_id) WHERE a.login IS NOT NULL
             GROUP BY a.login""")
        self.owned = {(kind, who): ids for kind, who, ids in cur.fetchall()}
        y, m, d = (int(x) for x in today.split("-"))
        self.today = datetime.date(y, m, d)
        self.pools = {"visit": visits, "visit_completed": completed, "visit_confirmed": confirmed,
                      "callback": callbacks,
                      "job": jobs, "job_claimed": claimed, "job_dead": dead,
                      "maxv": maxv, "maxc": maxc, "maxj": maxj}

    # -- values ----------------------------------------------------------------

    def lit(self, v, typ):
        """A literal of type typ: usually cast, sometimes left unknown, rarely cast wrong."""
        if v is None:
            r = self.rng.random()
            if r < 0.85:
                return Value("NULL::%s" % typ)
            return Value("NULL")
        q = self.quote(v)
        r = self.rng.random()
        if r < 0.94:
            return Value("%s::%s" % (q, typ))
        if r < 0.99:
            return Value(q)                       # unknown: the function's type decides
        wrong = self.rng.choice(["text", "integer", "bigint", "date", "jsonb", "numeric", "boolean"])
        return Value("%s::%s" % (q, wrong))

    def raw(self, sql):
        return Value(sql)

    def hostile_text(self):
        rng = self.rng
        r = rng.random()
        if r < 0.10:
            return None
        if r < 0.16:
            return "x" * 100_000
        if r < 0.19:
            return rng.choice(["é", "😀", "ש", "\u0301", "a\n"]) * rng.choice([25_000, 50_000])
        if r < 0.30:
            n = rng.choice([63, 64, 65, 99, 100, 101, 199, 200, 201, 254, 255, 499, 500, 501, 1999, 2000,
                            2001, 10000, 10001])
            ch = rng.choice(["a", "é", "😀", "字", " "])
            s = ch * n
            if rng.random() < 0.3:
                s = " " + s + "\t"
            return s
        if r < 0.36:
            return "".join(chr(rng.randrange(1, 0x80)) for _ in range(rng.randrange(1, 40)))
        if r < 0.42:
            out = []
            for _ in range(rng.randrange(1, 30)):
                c = rng.randrange(1, 0x30000)
                out.append(chr(c if not 0xD800 <= c < 0xE000 else 0xFFFD))
            return "".join(out)
        if r < 0.50:
            return rng.choice(PHONES_HOSTILE + EMAILS_HOSTILE)
        s = rng.choice(TEXT_HOSTILE).replace("\x00", "\x01")
        if rng.random() < 0.2:
            s = rng.choice(TEXT_HOSTILE).replace("\x00", "") + s
        return s

    def text_value(self, v):
        return self.lit(v, "text")

    def hostile_raw_text(self):
        return self.raw(self.rng.choice([
            "chr(0)", "repeat('ab', 500000)", "E'\\xff'", "convert_from('\\xc3\\x28'::bytea, 'UTF8')",
            "U&'\\+10FFFF'", "chr(8238) || 'abc'", "repeat(chr(128512), 30000)", "current_user::text",
            "(SELECT string_agg(chr(i), '') FROM generate_series(1, 127) i)", "''::text",
            "repeat(' ', 3000)", "lpad('', 201, 'x')", "version()"]))

    def any_date(self):
        rng = self.rng
        t = self.today
        r = rng.random()
        if r < 0.12:
            return self.lit(None, "date")
        if r < 0.30:
            return self.lit(rng.choice(["infinity", "-infinity", "4713-01-01 BC", "5874897-12-31", "0001-01-01",
                                        "1970-01-01", "2000-02-29", "2026-02-30", "tomorrow", "yesterday",
                                        "today", "epoch", "garbage", "", "01/02/2027", "2027-13-01",
                                        "5874898-01-01", "4714-11-23 BC", "J2451545", "20270101",
                                        "2027-01-01 12:00 PST"]), "date")
        if r < 0.35:
            return self.raw(rng.choice(["current_date", "current_date + 1", "'infinity'::date",
                                        "now()::date", "(now() AT TIME ZONE 'Etc/GMT-14')::date"]))
        off = rng.choice([-400, -2, -1, 0, 0, 1, 2, 3, 5, 7, 30, 89, 90, 91, 92, 365, 3650, 3651, 100000])
        try:
            return self.lit((t + datetime.timedelta(days=off)).isoformat(), "date")
        except OverflowError:
            return self.lit("infinity", "date")

    def window_date(self):
        return self.lit((self.today + datetime.timedelta(days=self.rng.randrange(0, 30))).isoformat(), "date")

    def any_int(self, typ):
        rng = self.rng
        r = rng.random()
        if r < 0.12:
            return self.lit(None, typ)
        big = {"integer": ["2147483647", "-2147483648", "2147483648", "-2147483649"],
               "bigint": ["9223372036854775807", "-9223372036854775808", "9223372036854775808"],
               "smallint": ["32767", "-32768", "32768"]}.get(typ, ["2147483647"])
        v = rng.choice(big + ["0", "-1", "1", "5", "6", "100", "101", "1000", "1001", "86400", "86401",
                              "1e3", "1.5", " 7 ", "", "abc", "0x10", "+3", "１"])
        return self.lit(v, typ)

    def id_value(self, kind):
        rng = self.rng
        mine = self.owned.get((kind, self.sub)) if self.sub else None
        if mine and rng.random() < 0.5:
            return self.lit(str(rng.choice(mine)), "bigint")
        pool = self.pools.get(kind) or []
        special = {"visit": ["visit_completed", "visit_confirmed"], "job": ["job_claimed", "job_dead"]}.get(kind, [])
        for sp in special:
            if self.pools.get(sp) and rng.random() < 0.25:
                pool = self.pools[sp]
        mx = self.pools.get({"visit": "maxv", "callback": "maxc", "job": "maxj"}.get(kind, ""), 0) or 0
        r = rng.random()
        if pool and r < 0.70:
            return self.lit(str(rng.choice(pool)), "bigint")
        if r < 0.78:
            return self.lit(str(mx + rng.choice([1, 2, 1000])), "bigint")
        return self.any_int("bigint")

    def any_timestamptz(self):
        rng = self.rng
        r = rng.random()
        if r < 0.1:
            return self.lit(None, "timestamptz")
        if r < 0.35:
            return self.raw(rng.choice(["now()", "now() - interval '1 day'", "now() - interval '3 hours'",
                                        "now() + interval '1 hour'", "clock_timestamp()",
                                        "now() - interval '30 days'", "transaction_timestamp() - interval '1 microsecond'"]))
        return self.lit(rng.choice([
            "infinity", "-infinity", "now", "epoch", "4713-01-01 00:00:00+00 BC", "294276-12-31 23:59:59+00",
            "294277-01-01 00:00:00+00", "2999-01-01", "1999-12-31 23:59:59.999999+14", "2026-03-29 01:30 Europe/London",
            "2026-01-01 00:00 Pacific/Kiritimati", "garbage", "", "2026-02-30 10:00", "today", "tomorrow",
            "yesterday", "allballs", "2026-01-01T00:00:00Z", "01/02/2026 10:00", "J2451545"]), "timestamptz")

    def any_interval(self, valid=None):
        rng = self.rng
        if valid and rng.random() < 0.5:
            return self.lit(rng.choice(valid), "interval")
        return self.lit(rng.choice([
            None, "0", "-1 hour", "2 hours", "7 days", "7 days 1 second", "8 days", "1 second", "0.5 seconds",
            "1 day", "1 day 1 microsecond", "178000000 years", "-178000000 years", "1 mon", "P1Y2M",
            "@ 1 hour ago", "1 microsecond", "2147483647 days", "-2147483648 months", "-1 2:03:04",
            "PT0S", "garbage", "", "infinity", "1 week", "24:00:00", "P0D", "00:00:00.000001"]), "interval")

    def enum_value(self, typ, labels):
        rng = self.rng
        r = rng.random()
        if r < 0.75:
            return self.lit(rng.choice(labels), typ)
        if r < 0.85:
            return self.lit(None, typ)
        if r < 0.90:
            return Value("%s::text" % self.quote(rng.choice(labels)))       # no such function
        return self.lit(rng.choice(ENUM_BAD), typ)

    ENUMS = {
        "sched.time_slot": ["morning", "afternoon", "evening"],
        "sched.urgency": ["urgent", "high", "medium", "low"],
        "sched.visit_status": ["pending", "confirmed", "completed", "cancelled", "no_show"],
        "sched.callback_status": ["pending", "contacted", "completed", "no_answer"],
        "sched.job_state": ["pending", "claimed", "done", "dead", "cancelled"],
        "sched.channel": ["email", "sms", "whatsapp", "agent"],
        "sched.entity": ["visit", "callback"],
    }

    def grantee(self):
        return self.lit(self.rng.choice([
            "no_such_role", "-", "0", "1", "4294967295", "public", "PUBLIC", "", " ", "fz_nobody",
            self.superuser, '"%s"' % self.superuser, "pg_read_all_data", "x';--", "😀", "a" * 100,
            "pg_signal_backend", None]), "regrole")

    # a valid value by argument name, to get past the first check
    def valid(self, name, typ):
        rng = self.rng
        if typ == "sched.visit_status":       # the moves that lead somewhere, more often
            return self.lit(rng.choice(["pending", "confirmed", "confirmed", "completed", "completed",
                                        "cancelled", "no_show"]), typ)
        if typ in self.ENUMS:
            return self.lit(rng.choice(self.ENUMS[typ]), typ)
        if name == "user_id":
            u = rng.choice(USERS)
            return self.text_value(rng.choice([u, u, u, " %s " % u]))
        if name == "project":
            return self.text_value(rng.choice(PROJECTS))
        if name in ("visit_date",):
            return self.window_date()
        if name in ("date_from", "date_to", "today"):
            return self.lit((self.today + datetime.timedelta(days=rng.randrange(-10, 20))).isoformat(), "date")
        if name in ("contact_name",):
            return self.text_value(rng.choice(NAMES_VALID))
        if name == "contact_phone":
            if rng.random() < 0.5:
                return self.text_value(rng.choice(PHONES_VALID))
            return self.text_value("+91 9%04d %05d" % (rng.randrange(10000), rng.randrange(100000)))
        if name == "contact_email":
            return self.text_value(rng.choice(EMAILS_VALID + [None, None, ""]))
        if name in ("notes", "rm_notes", "agent_notes", "reason", "outcome", "comment", "error"):
            return self.text_value(rng.choice(NOTES_VALID + [None]))
        if name == "session_id":
            return self.text_value("chat-%d" % rng.randrange(100))
        if name == "lead_score":
            return self.lit(str(rng.randrange(0, 101)), "integer")
        if name == "idempotency_key":
            return self.text_value(rng.choice(["k1", "k2", "k3", " k1 ", None, None, ""]))
        if name == "visit_id":
            return self.id_value("visit")
        if name == "callback_id":
            return self.id_value("callback")
        if name == "job_id":
            return self.id_value("job")
        if name == "agent_id":
            return self.lit(str(rng.choice(self.agent_ids + [0, 99])), "integer")
        if name == "max_rows":
            return self.lit(str(rng.choice([1, 10, 100, 1000])), "integer")
        if name == "call_duration_s":
            return self.lit(str(rng.randrange(0, 86401)), "integer")
        if name == "rating":
            return self.lit(str(rng.randrange(1, 6)), "integer")
        if name == "as_of":
            return self.raw(rng.choice(["now()", "now() - interval '1 hour'", "now() - interval '2 days'"]))
        if name == "grace":
            return self.lit(rng.choice(["2 hours", "0", "1 day", "7 days"]), "interval")
        if name == "lease":
            return self.lit(rng.choice(["5 minutes", "1 second", "1 day"]), "interval")
        if name == "worker":
            return self.text_value(rng.choice(["w1", "w2", "mailer-1"]))
        if name == "max_jobs":
            return self.lit(str(rng.choice([1, 5, 10, 50])), "integer")
        if name == "message":
            return self.text_value(rng.choice(MESSAGES))
        if name == "last_nudge":
            return self.text_value(rng.choice(["site_visit", "callback", None]))
        if name == "intent":
            return self.text_value(rng.choice(["site_visit", "callback"]))
        if name == "days":
            return self.lit(str(rng.choice([1, 3, 7, 30, 366])), "integer")
        return self.hostile(name, typ)

    def hostile(self, name, typ):
        rng = self.rng
        if typ in self.ENUMS:
            return self.enum_value(typ, self.ENUMS[typ])
        if typ == "text":
            if rng.random() < 0.06:
                return self.hostile_raw_text()
            return self.text_value(self.hostile_text())
        if typ == "date":
            return self.any_date()
        if typ in ("integer", "bigint", "smallint"):
            if name in ("visit_id", "callback_id", "job_id") and rng.random() < 0.4:
                return self.id_value(name.split("_")[0])
            return self.any_int(typ)
        if typ == "timestamp with time zone":
            return self.any_timestamptz()
        if typ == "interval":
            return self.any_interval()
        if typ == "regrole":
            return self.grantee()
        if typ == "boolean":
            return self.lit(rng.choice([None, "true", "false", "yes", "maybe", ""]), "boolean")
        if typ in ("jsonb", "json"):
            return self.lit(rng.choice([None, "{}", "[]", "null", '{"a":', '"x"', "1e400", "{" * 5000]), typ)
        if typ == "numeric":
            return self.lit(rng.choice([None, "NaN", "Infinity", "1e1000", "-0", "0.1"]), typ)
        return self.lit(rng.choice([None, "", "x", "0"]), typ)

    # -- one call --------------------------------------------------------------

    def claims(self, role, key):
        """request.jwt.claims (and sometimes the legacy claim) for this transaction, and the sub."""
        rng = self.rng
        r = rng.random()
        out = []
        agentish = role == "fz_agent" or key in AGENT_KEYS
        if agentish and r < 0.7:
            sub = rng.choice(AGENT_LOGINS + ["  agent_asha  "])
        elif r < 0.7:
            sub = rng.choice(USERS + ["  user_1  ", "user_%d" % rng.randrange(100)])
        else:
            sub = rng.choice([None, "", " ", "x" * 100_000, "x" * 201, "😀", "שלום", "\u202euser_1",
                              1701, -0.0, 1.5, 12345678901234567890123, 1e308, True, {"id": 1}, [1, 2],
                              "user_1\n", "a\x01b", "x';--", "agent_asha\x7f"])
        kind = rng.random()
        if kind < 0.08:
            out.append(("request.jwt.claims", rng.choice(['{"sub": ', "not json", "", "[", '{"sub": "a"',
                                                          "{" * 3000 + "}" * 3000, "[" * 10000,
                                                          '{"sub": "\\ud800"}', '{"sub": "\\u0000"}',
                                                          "null", "1", '"user_1"'])))
        elif kind < 0.14:
            out.append(("request.jwt.claim.sub", sub if isinstance(sub, str) else json.dumps(sub)))
        elif kind < 0.18:
            pass
        else:
            c = {"role": role}
            if rng.random() < 0.95:
                c["sub" if rng.random() < 0.85 else rng.choice(["email", "uid"])] = sub
            out.append(("request.jwt.claims", json.dumps(c, ensure_ascii=rng.random() < 0.5)))
        return out, (sub.strip() if isinstance(sub, str) else None)

    def settings(self, role):
        rng = self.rng
        s = []
        if role == SUPERUSER:
            if rng.random() < 0.03:
                s.append(("session_replication_role", "replica"))
            if rng.random() < 0.15:
                name, vals = rng.choice([
                    ("sched.max_days_ahead", ["0", "1", "90", "3650"]),
                    ("sched.default_country_code", ["1", "44", "91", "999"]),
                    ("sched.business_hours", ["09:00-18:00", "00:00-24:00", "23:59-24:00", "00:00-00:01"]),
                    ("sched.user_id_claim", ["sub", "email", "uid", "a.b-c:d"]),
                    ("sched.max_open_visits_per_user", ["0", "1", "1000000"]),
                    ("sched.max_open_callbacks_per_user", ["0", "1", "1000000"]),
                    ("sched.job_max_attempts", ["1", "100"]),
                    ("sched.callback_max_attempts", ["1", "20"]),
                ])
                s.append((name, rng.choice(vals)))
        if rng.random() < 0.6:
            s.append(("TimeZone", rng.choice(TZS)))
        if rng.random() < 0.5:
            s.append(("DateStyle", rng.choice(DATESTYLES)))
        if rng.random() < 0.4:
            s.append(("IntervalStyle", rng.choice(INTERVALSTYLES)))
        if rng.random() < 0.25:
            s.append((self.parallel_guc, rng.choice(["on", "regress", "off"])))
            s.append(("parallel_setup_cost", "0"))
            s.append(("parallel_tuple_cost", "0"))
            s.append(("min_parallel_table_scan_size", "0"))
            s.append(("min_parallel_index_scan_size", "0"))
        if rng.random() < 0.3:
            s.append(("lock_timeout", rng.choice(["0", "1ms", "10ms", "1s"])))
        if rng.random() < 0.2:
            s.append(("search_path", rng.choice(SEARCH_PATHS)))
        if rng.random() < 0.15:
            s.append(("plan_cache_mode", rng.choice(["force_generic_plan", "force_custom_plan", "auto"])))
        if rng.random() < 0.1:
            s.append((rng.choice(["enable_seqscan", "enable_indexscan", "enable_bitmapscan",
                                  "enable_indexonlyscan", "enable_hashjoin", "enable_sort"]), "off"))
        if rng.random() < 0.05:
            s.append(("work_mem", "64kB"))
        if rng.random() < 0.05:
            s.append(("extra_float_digits", rng.choice(["-15", "3"])))
        s.append(("statement_timeout", "5s"))
        return s

    def pick_role(self, key):
        rng = self.rng
        may = sorted(self.may.get(key, {SUPERUSER}))
        if rng.random() < 0.75 and may:
            return rng.choice(may)
        return rng.choice([SUPERUSER] + list(ROLES))

    def build_call(self, f):
        rng = self.rng
        mode = rng.random()
        types, names = f["types"], f["names"]
        n = len(types)
        if f["grant"]:
            args = [self.grantee() for _ in range(n)]
        else:
            if mode < 0.45:
                hostile = set()
            elif mode < 0.80:
                hostile = {rng.randrange(n)} if n else set()
            else:
                hostile = {i for i in range(n) if rng.random() < 0.5}
            args = [self.hostile(names[i], types[i]) if i in hostile else self.valid(names[i], types[i])
                    for i in range(n)]
        # which defaulted arguments to leave out, and how to pass the rest
        keep = list(range(n))
        form = rng.random()
        if form < 0.20 or not all(names):                          # positional, a prefix of the defaults
            upto = rng.randrange(f["required"], n + 1) if n else 0
            parts = [args[i] for i in range(upto)]
            rendered = [(a.sql, a.show) for a in parts]
        else:
            keep = [i for i in range(n) if i < f["required"] or rng.random() < 0.6]
            if form < 0.30:                                        # some positional, then named
                prefix = 0
                while prefix < len(keep) and keep[prefix] == prefix:
                    prefix += 1
                k = rng.randrange(0, prefix + 1)
                rendered = [(args[i].sql, args[i].show) for i in keep[:k]]
                rest = keep[k:]
            else:
                rendered, rest = [], keep[:]
                if rng.random() < 0.5:
                    rng.shuffle(rest)
            for i in rest:
                nm = names[i]
                if rng.random() < 0.01:
                    nm = rng.choice([nm.upper(), nm + "x", "p_" + nm])      # no such argument: 42883
                rendered.append(("%s => %s" % (nm, args[i].sql), "%s => %s" % (nm, args[i].show)))
        call = "sched.%s(%s)" % (f["name"], ", ".join(r[0] for r in rendered))
        show = "sched.%s(%s)" % (f["name"], ", ".join(r[1] for r in rendered))
        w = rng.random()
        if w < 0.70:
            tmpl = "SELECT x::text FROM %s AS x"
        elif w < 0.90:
            tmpl = "SELECT (%s)::text"
        else:
            tmpl = "SELECT count(*) FROM %s"
        return tmpl % call, tmpl % show

    def build_view(self, v):
        rng = self.rng
        where = rng.choice(["", " WHERE x::text LIKE '%a%'", " ORDER BY 1 DESC", " LIMIT 3"])
        sql = "SELECT x::text FROM sched.%s AS x%s" % (v, where)
        return sql, sql

    def one(self, i):
        rng = self.rng
        if rng.random() < 0.04 and self.views:
            v = rng.choice(self.views)
            key = "view:" + v
            sql, show = self.build_view(v)
        else:
            f = rng.choice(self.funcs)
            # bookings twice as often: they make the rows the other calls work on
            if f["name"] not in ("book_site_visit", "request_callback", "book_my_visit",
                                 "request_my_callback") and rng.random() < 0.25:
                want = rng.choice(["book_site_visit", "request_callback", "book_my_visit", "request_my_callback"])
                f = next((g for g in self.funcs if g["name"] == want), f)
            key = f["name"]
            sql = None
        if key.startswith("view:"):
            role = self.pick_role(key)
        elif f["grant"]:
            role = SUPERUSER
        else:
            role = self.pick_role(key)
        claims, self.sub = self.claims(role, key)
        if not key.startswith("view:"):
            sql, show = self.build_call(f)
        settings = self.settings(role)
        block = self.blocker_sql() if rng.random() < self.args.block_rate else None
        if block:
            # another session holds a lock the call may want: it must give up soon, not wait 5 s
            settings = [kv for kv in settings if kv[0] != "lock_timeout"]
            settings.insert(-1, ("lock_timeout", rng.choice(["20ms", "100ms"])))
        iso = rng.choices(["READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"], [80, 12, 8])[0]
        ro = " READ ONLY" if rng.random() < 0.08 else ""
        sets = settings + claims
        if role != SUPERUSER:
            sets.append(("role", role))
        setup = "BEGIN ISOLATION LEVEL %s%s; SELECT %s" % (
            iso, ro, ", ".join("set_config(%s, %s, true)" % (self.quote(k), self.quote(v)) for k, v in sets))
        ctx = {"i": i, "role": role, "isolation": iso + ro, "settings": settings, "block": block,
               "claims": [(k, v if len(v) < 200 else v[:150] + "...<%d chars>" % len(v)) for k, v in claims],
               "statement": show, "full": setup + ";\n" + sql + ";"}
        return key, role, setup, sql, ctx, dict(settings)

    # -- running ---------------------------------------------------------------

    def fail(self, why, ctx=None, err=None):
        print("fuzz_sql: FAILED: %s" % why, file=sys.stderr)
        print("  seed %d, call %s of %d" % (self.args.seed, ctx["i"] if ctx else "-", self.args.calls),
              file=sys.stderr)
        if ctx:
            for k in ("role", "isolation", "settings", "claims", "block", "statement"):
                if ctx.get(k):
                    print("  %-10s %s" % (k, ctx[k]), file=sys.stderr)
            fd, path = tempfile.mkstemp(prefix="fuzz_sql_failure_", suffix=".sql")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write("-- fuzz_sql seed %d call %d: %s\n%s\n" % (self.args.seed, ctx["i"], why, ctx["full"]))
            print("  full text in %s" % path, file=sys.stderr)
        if err is not None:
            d = getattr(err, "diag", None)
            print("  error      %s %s" % (getattr(err, "pgcode", None), str(err).strip()), file=sys.stderr)
            if d is not None and (d.context or d.source_function):
                print("  where      %s (%s:%s %s)" % ((d.context or "").replace("\n", " | "),
                                                      d.source_file, d.source_line, d.source_function),
                      file=sys.stderr)
        self.print_log_tail()
        self.summary(final=False)
        sys.exit(1)

    def print_log_tail(self):
        if self.log_start is None:
            return
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(self.log_start)
                lines = fh.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return
        bad = [l for l in lines if LOG_BAD.search(l)]
        if bad:
            print("  server log:", file=sys.stderr)
            for l in bad[-20:]:
                print("    " + l[:400], file=sys.stderr)

    def check_notices(self, ctx, settings):
        notices = self.conn.notices
        bad = [n for n in notices if n.startswith("WARNING")]
        del notices[:]
        for b in bad:
            bug = self.known_bug("WARNING", b, settings)
            if bug is None:
                self.fail("a WARNING reached the client: %s%s" % (" | ".join(x.strip() for x in bad),
                                                                  self.known_hint("WARNING", b, settings)), ctx)
            self.hist["WARNING(known bug %s)" % bug] += 1

    def blocker_sql(self):
        """A lock another session takes for the length of one call."""
        rng = self.rng
        choices = ["LOCK TABLE sched.%s IN %s MODE" % (rng.choice(["scheduled_visits", "callbacks", "outbox",
                                                                    "status_history", "user_profiles", "agents"]),
                                                        rng.choice(["SHARE", "EXCLUSIVE", "ACCESS EXCLUSIVE"])),
                   "SELECT 1 FROM sched.agents WHERE agent_id = %d FOR UPDATE" % rng.choice(self.agent_ids)]
        for kind, table, col in (("visit", "scheduled_visits", "visit_id"), ("callback", "callbacks", "callback_id"),
                                 ("job", "outbox", "job_id")):
            if self.pools.get(kind):
                choices.append("SELECT 1 FROM sched.%s WHERE %s = %d FOR %s" % (
                    table, col, rng.choice(self.pools[kind]), rng.choice(["UPDATE", "NO KEY UPDATE", "SHARE"])))
        return rng.choice(choices)

    def check_result(self, key, rows, ctx):
        """What a successful call returned: calendar invites and (1.4) agents' calendars keep RFC 5545's line rules."""
        if key in ("visit_ics", "agent_calendar", "my_calendar"):
            for (text,) in rows:
                if not isinstance(text, str):
                    continue
                raw = text.encode("utf-8")
                lines = raw.split(b"\r\n")
                if lines[-1] != b"" or any(len(l) > 75 or b"\r" in l or b"\n" in l for l in lines):
                    bad = [l for l in lines if len(l) > 75 or b"\r" in l or b"\n" in l][:3]
                    self.fail("%s gave a line that is not CRLF-terminated or longer than 75 octets: %r"
                              % (key, bad), ctx)

    def check_notifies(self, ctx, committed):
        """NOTIFY sched payloads: small JSON with ids and statuses, no person (1.3)."""
        for n in self.conn.notifies:
            try:
                p = json.loads(n.payload)
            except ValueError:
                self.fail("a NOTIFY payload is not JSON: %r" % n.payload[:300], ctx)
            extra = set(p) - NOTIFY_KEYS if isinstance(p, dict) else {"(not an object)"}
            if extra or len(n.payload) >= 8000 or p.get("entity") not in ("visit", "callback") \
                    or p.get("op") not in ("insert", "update", "escalated"):
                self.fail("a NOTIFY payload is not what api.md says: %r" % n.payload[:300], ctx)
            if n.pid == self.fuzz_pid and not committed:
                self.fail("a call that rolled back sent a NOTIFY: %r" % n.payload[:300], ctx)
            self.notifies += 1
        del self.conn.notifies[:]

    def run_one(self, i):
        key, role, setup, sql, ctx, settings = self.one(i)
        cur = self.conn.cursor()
        stage = "setup"
        t0 = time.monotonic()
        committed = False
        if ctx["block"]:
            bcur = self.blocker.cursor()
            bcur.execute("BEGIN")
            try:
                bcur.execute(ctx["block"])      # an autovacuum may hold the table: then no block
            except psycopg2.errors.LockNotAvailable:
                bcur.execute("ROLLBACK")
                ctx["block"] = None
        try:
            cur.execute(setup)
            stage = "call"
            cur.execute(sql)
            rows = cur.fetchall()
            stage = "commit"
            cur.execute("COMMIT")
            committed = True
            code = "ok"
            self.calls_ok += 1
            self.recent.append((i, role, ctx["statement"][:300]))
            self.check_result(key, rows, ctx)
        except (UnicodeError, ValueError) as e:
            self.fail("the result could not be read (%s): %s" % (stage, e), ctx)
        except psycopg2.Error as e:
            code = e.pgcode
            if self.conn.closed or code is None or code.startswith("08") or code.startswith("57P"):
                self.fail("the connection was lost (%s)" % stage, ctx, e)
            if stage == "setup":
                self.fail("the harness's own set-up failed", ctx, e)
            try:
                if self.conn.info.transaction_status != psycopg2.extensions.TRANSACTION_STATUS_IDLE:
                    cur.execute("ROLLBACK")
            except psycopg2.Error as e2:
                self.fail("the connection was lost after an error (%s)" % code, ctx, e2)
            if not self.allowed(code, settings, key):
                bug = self.known_bug(code, str(e), settings)
                if bug is None:
                    self.fail("SQLSTATE %s is not allowed%s" % (code, self.known_hint(code, str(e), settings)),
                              ctx, e)
                code = "%s(known bug %s)" % (code, bug)
            self.check_message(code, e, ctx)
            if code == "57014":
                self.timeouts.append((round(time.monotonic() - t0, 1), ctx["role"], ctx["statement"][:600]))
        if ctx["block"]:
            self.blocker.cursor().execute("ROLLBACK")
        self.check_notices(ctx, settings)
        self.check_notifies(ctx, committed)
        self.hist[code] += 1
        self.by_func[key][code] += 1
        self.by_role[role][code] += 1

    def check_message(self, code, e, ctx):
        """sched's messages write dates in ISO 8601 whatever the DateStyle (errors.md)."""
        if code not in ("22023", "PT409"):
            return
        d = getattr(e, "diag", None)
        text = " ".join(x for x in (d.message_primary, d.message_detail) if x) if d else str(e)
        if DATED_MESSAGE.search(text) and NOT_ISO_DATE.search(text):
            self.fail("a message writes a date that is not ISO 8601: %s" % text[:300], ctx, e)

    @staticmethod
    def known_hint(code, message, settings):
        for name, b in KNOWN_BUGS.items():
            if code == b["sqlstate"] and re.search(b["message"], message) and b["settings"](settings):
                return " (known bug %s, not fixed yet: %s)" % (name, b["about"])
        return ""

    def known_bug(self, code, message, settings):
        for name in self.args.known_bug:
            b = KNOWN_BUGS[name]
            if code == b["sqlstate"] and re.search(b["message"], message) and b["settings"](settings):
                return name
        return None

    @staticmethod
    def allowed(code, settings, key):
        if code in ALLOWED_CODES or code[:2] in ALLOWED_CLASSES:
            return True
        if code in GRANT_CODES and (key.startswith("grant_") or key.startswith("revoke_")):
            return True
        cond = CONDITIONAL_CODES.get(code)
        return bool(cond and settings.get(cond[0]) == cond[1])

    def phase_two(self):
        cur = self.admin.cursor()
        for p in PHASE2_PROJECTS:
            cur.execute("INSERT INTO sched.projects (project, location, active) VALUES (%s, %s, %s)", p)
        self.phase2 = True

    def run(self):
        t0 = time.monotonic()
        self.setup()
        print("fuzz_sql: seed %d, %d calls, %d functions (%s), %d views; skipped %s"
              % (self.args.seed, self.args.calls, len(self.funcs),
                 " ".join(f["name"] for f in self.funcs), len(self.views), " ".join(self.skipped)), flush=True)
        phase2_at = int(self.args.calls * self.args.projects_at)
        for i in range(1, self.args.calls + 1):
            if i == phase2_at:
                self.phase_two()
            if i % 25 == 0:
                self.refresh()
            if self.rng.random() < self.args.reconnect_rate:
                self.conn.close()
                self.open_fuzz_connection(load=self.rng.random() < 0.5)
            self.run_one(i)
            self.session_calls += 1
            if i % self.args.check_every == 0 or i == self.args.calls:
                self.check_invariants(i)
                if self.args.progress:
                    print("fuzz_sql: %d calls, %d ok, %.0f s" % (i, self.calls_ok, time.monotonic() - t0),
                          flush=True)
        self.elapsed = time.monotonic() - t0
        self.summary(final=True)

    # -- invariants --------------------------------------------------------------

    def check_invariants(self, i):
        cur = self.admin.cursor()
        try:
            cur.execute("SELECT 1")
        except psycopg2.Error as e:
            self.fail("the server is not answering after call %d" % i, None, e)
        for name, sql in INVARIANTS:
            cur.execute(sql)
            rows = cur.fetchall()
            if rows:
                print("fuzz_sql: invariant broken after call %d: %s" % (i, name), file=sys.stderr)
                for r in rows[:10]:
                    print("    %s" % (r,), file=sys.stderr)
                print("  the last calls that committed (replay with --check-every 1 to find the one):",
                      file=sys.stderr)
                for c in self.recent:
                    print("    call %d as %s: %s" % c, file=sys.stderr)
                self.fail("invariant %s" % name)
        cur.execute("SELECT locktype, mode, objid FROM pg_locks WHERE pid = %s AND locktype = 'advisory'",
                    (self.fuzz_pid,))
        rows = cur.fetchall()
        if rows:
            self.fail("advisory locks outlived their call: %s" % rows)
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (self.fuzz_pid,))
        if cur.fetchone()[0] != 1:
            self.fail("the fuzzing session's backend is gone")
        if self.log_start is not None:
            try:
                with open(self.log_path, "rb") as fh:
                    fh.seek(self.log_start)
                    bad = [l for l in fh.read().decode("utf-8", "replace").splitlines() if LOG_BAD.search(l)]
            except OSError:
                bad = []
            if bad:
                self.fail("the server log shows: %s" % bad[0][:400])

    def summary(self, final):
        total = sum(n for code, n in self.hist.items() if not code.startswith("WARNING"))
        print("fuzz_sql: SQLSTATE histogram (%d calls):" % total)
        for code, n in sorted(self.hist.items(), key=lambda kv: -kv[1]):
            print("    %-6s %6d" % (code, n))
        if self.args.verbose or not final:
            print("fuzz_sql: per function:")
            for key in sorted(self.by_func):
                c = self.by_func[key]
                print("    %-28s %s" % (key, " ".join("%s:%d" % kv for kv in sorted(c.items()))))
            print("fuzz_sql: per role:")
            for key in sorted(self.by_role):
                c = self.by_role[key]
                print("    %-14s %s" % (key, " ".join("%s:%d" % kv for kv in sorted(c.items()))))
        if self.timeouts:
            print("fuzz_sql: %d statements hit the 5 s statement_timeout (slow paths?):" % len(self.timeouts))
            for t in self.timeouts[:20]:
                print("    after %ss as %s: %s" % t)
        never_ok = sorted(f["name"] for f in self.funcs if not f["grant"] and self.by_func[f["name"]]["ok"] == 0)
        if final and never_ok:
            print("fuzz_sql: note: never succeeded: %s" % " ".join(never_ok))
        if final:
            try:
                cur = self.conn.cursor()
                cur.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
                mem = int(cur.fetchone()[0])
                print("fuzz_sql: the last fuzzing session's memory: %d kB at its start, %d kB after its %d calls"
                      % (self.mem_start // 1024, mem // 1024, self.session_calls))
            except psycopg2.Error:
                pass
            cur = self.admin.cursor()
            cur.execute("SELECT (SELECT count(*) FROM sched.scheduled_visits), (SELECT count(*) FROM sched.callbacks), "
                        "(SELECT count(*) FROM sched.outbox), (SELECT count(*) FROM sched.status_history)")
            v, c, o, h = cur.fetchone()
            cur.execute("SELECT 'visits ' || string_agg(status || ' ' || n, ', ' ORDER BY status) "
                        "FROM (SELECT status::text, count(*) n FROM sched.scheduled_visits GROUP BY 1) s "
                        "UNION ALL SELECT 'callbacks ' || string_agg(status || ' ' || n, ', ' ORDER BY status) "
                        "FROM (SELECT status::text, count(*) n FROM sched.callbacks GROUP BY 1) s "
                        "UNION ALL SELECT 'jobs ' || string_agg(state || ' ' || n, ', ' ORDER BY state) "
                        "FROM (SELECT state::text, count(*) n FROM sched.outbox GROUP BY 1) s")
            for (line,) in cur.fetchall():
                print("fuzz_sql: %s" % line)
            print("fuzz_sql: %d calls, %d ok, %d visits, %d callbacks, %d jobs, %d history rows, %d NOTIFYs, "
                  "%.1f s, invariants hold" % (total, self.calls_ok, v, c, o, h, self.notifies, self.elapsed))
            if not self.args.keep:
                self.conn.close()
                self.admin.close()
                self.blocker.close()
                boot = self.connect("postgres")
                boot.cursor().execute("DROP DATABASE %s WITH (FORCE)" % DB)
                boot.close()


# sched's own messages that carry dates, and dates written another way than ISO 8601
DATED_MESSAGE = re.compile(r"must not be in the past|days ahead|slot of .* is over|has no room on|"
                           r"no agent has room on|is on leave on|must not be later than now")
NOT_ISO_DATE = re.compile(r"\b[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}\b|"
                          r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
NOTIFY_KEYS = {"entity", "id", "ref", "op", "old_status", "new_status", "agent_id"}

LOG_BAD = re.compile(r"PANIC|TRAP:|terminated by signal|server process .* (exited|was terminated)|"
                     r"terminating any other active server processes|all server processes terminated|"
                     r"reference leak|leaked|WARNING:.*(leak|still referenced|not released|not closed)|"
                     r"out of memory|invalid memory alloc|corrupt", re.I)

# ---------------------------------------------------------------------------
# What must hold after any sequence of calls.  Each query returns the rows
# that break it.

SLA = "CASE c.urgency WHEN 'urgent' THEN interval '30 minutes' WHEN 'high' THEN interval '2 hours' " \
      "WHEN 'medium' THEN interval '4 hours' ELSE interval '24 hours' END"

INVARIANTS = [
    ("no agent over slot_capacity", """
        SELECT v.agent_id, v.visit_date, v.time_slot, count(*), a.slot_capacity
          FROM sched.scheduled_visits v JOIN sched.agents a USING (agent_id)
         WHERE v.status IN ('pending', 'confirmed')
         GROUP BY v.agent_id, v.visit_date, v.time_slot, a.slot_capacity
        HAVING count(*) > a.slot_capacity"""),
    ("no agent over daily_visit_cap", """
        SELECT v.agent_id, v.visit_date, count(*), a.daily_visit_cap
          FROM sched.scheduled_visits v JOIN sched.agents a USING (agent_id)
         WHERE v.status IN ('pending', 'confirmed') AND a.daily_visit_cap IS NOT NULL
         GROUP BY v.agent_id, v.visit_date, a.daily_visit_cap
        HAVING count(*) > a.daily_visit_cap"""),
    ("every visit has an active visit-taking agent of its project, not on leave", """
        SELECT v.visit_id, v.agent_id, v.project, v.status
          FROM sched.scheduled_visits v LEFT JOIN sched.agents a USING (agent_id)
         WHERE a.agent_id IS NULL OR NOT a.active OR NOT a.handles_visits
            OR (EXISTS (SELECT FROM sched.project_agents p WHERE p.project = v.project)
                AND NOT EXISTS (SELECT FROM sched.project_agents p
                                 WHERE p.project = v.project AND p.agent_id = v.agent_id))
            OR (v.status IN ('pending', 'confirmed') AND EXISTS (
                SELECT FROM sched.agent_time_off t, sched.slot_bounds(v.visit_date, v.time_slot) b
                 WHERE t.agent_id = v.agent_id AND t.starts_at < b.ends_at AND t.ends_at > b.starts_at))"""),
    ("every callback has an active callback-taking agent, senior when urgent", """
        SELECT c.callback_id, c.agent_id, c.urgency
          FROM sched.callbacks c LEFT JOIN sched.agents a USING (agent_id)
         WHERE a.agent_id IS NULL OR NOT a.active OR NOT a.handles_callbacks
            OR (c.urgency = 'urgent' AND NOT a.is_senior)"""),
    ("every visit and callback has its creation history row, first", """
        SELECT 'visit', v.visit_id FROM sched.scheduled_visits v
         WHERE (SELECT count(*) FROM sched.status_history h
                 WHERE h.entity = 'visit' AND h.entity_id = v.visit_id AND h.from_status IS NULL) <> 1
        UNION ALL
        SELECT 'callback', c.callback_id FROM sched.callbacks c
         WHERE (SELECT count(*) FROM sched.status_history h
                 WHERE h.entity = 'callback' AND h.entity_id = c.callback_id AND h.from_status IS NULL) <> 1"""),
    ("each history row starts where the one before ended, the last is the status now", """
        WITH h AS (
          SELECT h.*, lag(to_status) OVER w AS prev_to, row_number() OVER w AS rn,
                 row_number() OVER (PARTITION BY entity, entity_id ORDER BY changed_at DESC, history_id DESC) AS rn_desc
            FROM sched.status_history h
          WINDOW w AS (PARTITION BY entity, entity_id ORDER BY changed_at, history_id))
        SELECT h.entity, h.entity_id, h.history_id, h.from_status, h.to_status, h.prev_to, h.note
          FROM h
         WHERE (h.rn = 1 AND h.from_status IS NOT NULL)
            OR (h.rn > 1 AND h.from_status IS DISTINCT FROM h.prev_to)
            OR (h.rn_desc = 1 AND h.to_status IS DISTINCT FROM CASE h.entity
                  WHEN 'visit' THEN (SELECT v.status::text FROM sched.scheduled_visits v WHERE v.visit_id = h.entity_id)
                  ELSE (SELECT c.status::text FROM sched.callbacks c WHERE c.callback_id = h.entity_id) END)"""),
    ("every visit has its creation jobs", """
        SELECT v.visit_id, v.contact_email FROM sched.scheduled_visits v
         WHERE NOT EXISTS (SELECT FROM sched.outbox o WHERE o.entity = 'visit' AND o.entity_id = v.visit_id
                              AND o.template = 'visit_booked' AND o.channel = 'sms' AND o.created_at = v.created_at)
            OR NOT EXISTS (SELECT FROM sched.outbox o WHERE o.entity = 'visit' AND o.entity_id = v.visit_id
                              AND o.template = 'visit_assigned' AND o.channel = 'agent' AND o.created_at = v.created_at)
            OR (v.contact_email IS NOT NULL) <> EXISTS (
                   SELECT FROM sched.outbox o WHERE o.entity = 'visit' AND o.entity_id = v.visit_id
                      AND o.template = 'visit_booked' AND o.channel = 'email')"""),
    ("every callback has its creation jobs", """
        SELECT c.callback_id, c.contact_email FROM sched.callbacks c
         WHERE NOT EXISTS (SELECT FROM sched.outbox o WHERE o.entity = 'callback' AND o.entity_id = c.callback_id
                              AND o.template = 'callback_requested' AND o.channel = 'sms' AND o.created_at = c.created_at)
            OR NOT EXISTS (SELECT FROM sched.outbox o WHERE o.entity = 'callback' AND o.entity_id = c.callback_id
                              AND o.template = 'callback_assigned' AND o.channel = 'agent' AND o.created_at = c.created_at)
            OR (c.contact_email IS NOT NULL) <> EXISTS (
                   SELECT FROM sched.outbox o WHERE o.entity = 'callback' AND o.entity_id = c.callback_id
                      AND o.template = 'callback_requested' AND o.channel = 'email')"""),
    ("no job or history row of an item that does not exist", """
        SELECT 'job', o.job_id, o.entity, o.entity_id FROM sched.outbox o
         WHERE NOT EXISTS (SELECT FROM sched.scheduled_visits v WHERE o.entity = 'visit' AND v.visit_id = o.entity_id)
           AND NOT EXISTS (SELECT FROM sched.callbacks c WHERE o.entity = 'callback' AND c.callback_id = o.entity_id)
        UNION ALL
        SELECT 'history', h.history_id, h.entity, h.entity_id FROM sched.status_history h
         WHERE NOT EXISTS (SELECT FROM sched.scheduled_visits v WHERE h.entity = 'visit' AND v.visit_id = h.entity_id)
           AND NOT EXISTS (SELECT FROM sched.callbacks c WHERE h.entity = 'callback' AND c.callback_id = h.entity_id)"""),
    # (1.4: a profile made by setting a time zone before any booking counts nothing)
    ("user_profiles count every booking (visits, callbacks, intent points 3 and 2)", """
        WITH c AS (SELECT user_id, sum(v) AS v, sum(cb) AS cb
                     FROM (SELECT user_id, 1 AS v, 0 AS cb FROM sched.scheduled_visits
                           UNION ALL SELECT user_id, 0, 1 FROM sched.callbacks) s GROUP BY user_id)
        SELECT coalesce(c.user_id, p.user_id), c.v, c.cb, p.site_visits_scheduled, p.callbacks_requested, p.intent_points
          FROM c FULL JOIN sched.user_profiles p USING (user_id)
         WHERE p.user_id IS NULL
            OR (c.user_id IS NULL AND (p.site_visits_scheduled, p.callbacks_requested, p.intent_points) <> (0, 0, 0))
            OR p.site_visits_scheduled <> c.v OR p.callbacks_requested <> c.cb
            OR p.intent_points <> 3 * c.v + 2 * c.cb"""),
    ("a profile's lead_score is the latest one a booking carried", """
        SELECT p.user_id, p.lead_score, l.lead_score
          FROM sched.user_profiles p
          LEFT JOIN LATERAL (
            SELECT b.lead_score FROM (
              SELECT lead_score, created_at, visit_id AS id FROM sched.scheduled_visits
               WHERE user_id = p.user_id AND lead_score IS NOT NULL
              UNION ALL
              SELECT lead_score, created_at, callback_id FROM sched.callbacks
               WHERE user_id = p.user_id AND lead_score IS NOT NULL) b
            ORDER BY b.created_at DESC LIMIT 1) l ON true
         WHERE p.lead_score IS DISTINCT FROM l.lead_score"""),
    ("no reminder waits for a visit that is over, and a waiting one is for the visit's slot", """
        SELECT o.job_id, o.template, o.state, v.visit_id, v.status, v.visit_date, v.time_slot, o.payload
          FROM sched.outbox o JOIN sched.scheduled_visits v ON o.entity = 'visit' AND v.visit_id = o.entity_id
         WHERE o.template LIKE 'visit_reminder%' AND o.state IN ('pending', 'claimed')
           AND (v.status NOT IN ('pending', 'confirmed')
                OR (NOT o.payload ? 'erased' AND (o.payload->>'visit_date' IS DISTINCT FROM to_char(v.visit_date, 'YYYY-MM-DD')
                    OR o.payload->>'time_slot' IS DISTINCT FROM v.time_slot::text)))"""),
    ("at most one waiting reminder per visit, template and channel", """
        SELECT entity_id, template, channel, count(*) FROM sched.outbox
         WHERE template LIKE 'visit_reminder%' AND state IN ('pending', 'claimed')
         GROUP BY 1, 2, 3 HAVING count(*) > 1"""),
    ("job states carry their columns", """
        SELECT job_id, state, claimed_by, lease_until, done_at, attempts FROM sched.outbox
         WHERE (state = 'claimed' AND (claimed_by IS NULL OR lease_until IS NULL))
            OR (state = 'done' AND done_at IS NULL) OR attempts < 0
            OR (state IN ('done', 'dead') AND attempts < 1)"""),
    ("visits carry the stamps of their status", """
        SELECT visit_id, status, confirmed_at, completed_at, cancelled_at FROM sched.scheduled_visits
         WHERE (status = 'confirmed' AND confirmed_at IS NULL)
            OR (status = 'completed' AND (completed_at IS NULL OR confirmed_at IS NULL))
            OR (status = 'cancelled' AND cancelled_at IS NULL)
            OR (status = 'pending' AND (confirmed_at IS NOT NULL OR completed_at IS NOT NULL OR cancelled_at IS NOT NULL))
            OR updated_at < created_at"""),
    ("callbacks carry the stamps of their status and their deadline", """
        SELECT c.callback_id, c.status, c.urgency, c.attempts, c.created_at, c.due_at, c.next_attempt_at
          FROM sched.callbacks c
         WHERE (c.status = 'contacted' AND c.contacted_at IS NULL)
            OR (c.status = 'completed' AND (c.completed_at IS NULL OR c.contacted_at IS NULL))
            OR (c.status = 'pending' AND (c.attempts <> 0 OR c.next_attempt_at IS DISTINCT FROM c.due_at))
            OR (c.status IN ('contacted', 'completed') AND c.next_attempt_at IS NOT NULL)
            OR (c.status = 'no_answer' AND c.attempts < 1)
            OR c.due_at < c.created_at + """ + SLA),
    ("a callback's attempts are its moves into contacted or no_answer", """
        SELECT c.callback_id, c.attempts, count(h.history_id)
          FROM sched.callbacks c LEFT JOIN sched.status_history h
            ON h.entity = 'callback' AND h.entity_id = c.callback_id AND h.from_status IS NOT NULL
           AND h.to_status IN ('contacted', 'no_answer')
           AND NOT (h.from_status = h.to_status AND h.note IS NOT DISTINCT FROM 'personal data erased')
         GROUP BY c.callback_id, c.attempts HAVING c.attempts <> count(h.history_id)"""),
    ("feedback only for completed visits, with the visit's agent", """
        SELECT f.visit_id, f.rating, f.agent_id, v.agent_id, v.status
          FROM sched.visit_feedback f JOIN sched.scheduled_visits v USING (visit_id)
         WHERE v.status <> 'completed' OR f.agent_id IS DISTINCT FROM v.agent_id"""),
    ("the outbox's payloads write dates and times in ISO 8601 whatever the session's DateStyle and TimeZone", """
        SELECT o.job_id, o.template, o.payload->>'visit_date', o.payload->>'due_at', c.due_at
          FROM sched.outbox o LEFT JOIN sched.callbacks c ON o.entity = 'callback' AND c.callback_id = o.entity_id
         WHERE NOT o.payload ? 'erased'
           AND ((o.payload ? 'visit_date' AND o.payload->>'visit_date' !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
             OR (o.payload ? 'due_at' AND (o.payload->>'due_at' !~
                   '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?[+-][0-9]{2}:[0-9]{2}$'
                  OR (o.payload->>'due_at')::timestamptz IS DISTINCT FROM c.due_at)))"""),
    ("a move's history note names the dates in ISO 8601", """
        SELECT history_id, note FROM sched.status_history
         WHERE note LIKE 'moved from%'
           AND note !~ '^moved from [0-9]{4}-[0-9]{2}-[0-9]{2} [a-z]+ to [0-9]{4}-[0-9]{2}-[0-9]{2} [a-z]+$'"""),
    ("no call changed the agents", """
        SELECT agent_id, name, active, slot_capacity FROM sched.agents
         WHERE (name, active, slot_capacity) NOT IN (
               ('Asha Rao', true, 2), ('Vikram Iyer', true, 1), ('Meera Nair', true, 3),
               ('Dev Kapoor', true, 1), ('Old Hand', false, 1), ('Zero Room', true, 0))"""),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--calls", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=None, help="default: from the clock (printed)")
    ap.add_argument("--check-every", type=int, default=None,
                    help="check the invariants every N calls (default: every 1000, or 20 times in all for long runs)")
    ap.add_argument("--projects-at", type=float, default=0.6,
                    help="fill sched.projects after this fraction of the calls (default 0.6; 2 = never)")
    ap.add_argument("--block-rate", type=float, default=0.05,
                    help="share of calls during which another session holds a lock (default 0.05)")
    ap.add_argument("--reconnect-rate", type=float, default=0.005,
                    help="chance before each call of a new session, half of them cold (default 0.005)")
    ap.add_argument("--progress", action="store_true", help="a line at every invariant check")
    ap.add_argument("--verbose", action="store_true", help="SQLSTATEs per function and per role")
    ap.add_argument("--keep", action="store_true", help="keep the database %s" % DB)
    ap.add_argument("--known-bug", action="append", default=[], choices=sorted(KNOWN_BUGS),
                    help="count this known bug (KNOWN_BUGS) instead of failing on it; repeatable")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = int(time.time() * 1000) % 2**31
    if args.check_every is None:
        args.check_every = max(1000, args.calls // 20)
    if "PGHOST" not in os.environ:
        print("fuzz_sql: run me inside test/cluster.sh (PGHOST is not set)", file=sys.stderr)
        sys.exit(2)
    Fuzzer(args).run()


if __name__ == "__main__":
    main()
