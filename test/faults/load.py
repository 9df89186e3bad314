#!/usr/bin/python3
"""test/faults/load.py: the client side of test/crash.sh and test/failover.sh.

  load.py load SECONDS CLIENTS ACKFILE   the mixed load
  load.py notify TIMEOUT                  a new booking's NOTIFY arrives

The connection comes from the libpq environment (PGHOST, PGDATABASE, ...).

load: CLIENTS threads, each with its own autocommit connection, for
SECONDS: 50% visits booked (sched.book_site_visit, random user, a date 3
to 60 days ahead in the business's today, any of the 3 slots), 25%
callbacks requested, 25% status moves (a visit the thread booked or
found to confirmed, 60%, or cancelled, 40%: cancelling frees places, so
the slots do not all fill).  A call's result is appended to ACKFILE only after
the call has returned, that is after its commit was acknowledged:
"visit,ID,REF,PHONE", "callback,ID,REF,PHONE", "confirm,ID,," or
"cancel,ID,," (the CSV that test/faults/invariants.sh loads).  sched's documented refusals
(PT409 full, illegal move...) are counted and the load goes on; a lost
connection (the server or the backend killed) is counted and the thread
reconnects until the time is up.  A call that was in flight when the
connection went is not acknowledged: it may or may not have committed.
Prints one line of counts.

notify: LISTEN sched on one connection, book a visit on another and wait
up to TIMEOUT seconds for a notification naming it.  Exit 0 if it came.
"""
import json
import os
import random
import select
import sys
import threading
import time

import psycopg2
import psycopg2.extensions

TODAY = ("(pg_catalog.now() AT TIME ZONE "
         "pg_catalog.current_setting('sched.timezone'))::date")
BOOK = ("SELECT visit_id, ref, contact_phone FROM sched.book_site_visit(%s, 'Brigade Citrine', "
        + TODAY + " + %s, %s::sched.time_slot, %s, %s, %s)")
CALLBACK = ("SELECT callback_id, ref, contact_phone FROM sched.request_callback(%s, %s, %s, "
            "'crash test', %s::sched.urgency, %s)")
MOVE = "SELECT visit_id, NULL, NULL FROM sched.set_visit_status(%s, %s::sched.visit_status)"

# What sched documents as refusals of a call (docs/api.md): anything else
# is a failure of the test.
REFUSALS = {"PT409", "PT404", "22023", "22004", "40001", "40P01", "55P03"}


def connect():
    conn = psycopg2.connect("")
    conn.autocommit = True
    return conn


def client(n, deadline, ack, lock, counts, errors):
    rnd = random.Random(os.getpid() * 100 + n + int(time.time()))
    mine = []
    conn = None
    c = dict(visit=0, callback=0, confirm=0, cancel=0, refused=0, lost=0)
    while time.time() < deadline:
        if conn is None:
            try:
                conn = connect()
            except psycopg2.OperationalError:
                time.sleep(0.2)
                continue
            if not mine:
                # some existing visits (of this or earlier rounds) to move
                try:
                    with conn.cursor() as cur:
                        cur.execute("SELECT visit_id FROM sched.scheduled_visits"
                                    " TABLESAMPLE SYSTEM (10) LIMIT 50")
                        mine = [r[0] for r in cur.fetchall()]
                except psycopg2.Error:
                    conn = None
                    continue
        user = "u%03d" % rnd.randrange(200)
        phone = "98765%05d" % rnd.randrange(100000)
        email = "%s@example.com" % user if rnd.random() < 0.5 else None
        r = rnd.random()
        try:
            with conn.cursor() as cur:
                if r < 0.5 or not mine:
                    cur.execute(BOOK, (user, rnd.randint(3, 60),
                                       rnd.choice(["morning", "afternoon", "evening"]),
                                       "Crash " + user, phone, email))
                    kind = "visit"
                elif r < 0.75:
                    cur.execute(CALLBACK, (user, "Crash " + user, phone,
                                           rnd.choice(["urgent", "high", "medium", "low"]),
                                           email))
                    kind = "callback"
                else:
                    kind = "confirm" if rnd.random() < 0.6 else "cancel"
                    cur.execute(MOVE, (rnd.choice(mine),
                                       "confirmed" if kind == "confirm" else "cancelled"))
                row = cur.fetchone()
        except psycopg2.Error as e:
            # no SQLSTATE: the connection went, whichever class psycopg2
            # gives it (a kill mid-call can surface as DatabaseError with
            # the connection not yet marked closed)
            if conn.closed or e.pgcode is None:
                c["lost"] += 1
                try:
                    conn.close()
                except psycopg2.Error:
                    pass
                conn = None
                time.sleep(0.1)
            elif e.pgcode in REFUSALS:
                c["refused"] += 1
            elif e.pgcode in ("57P01", "57P02", "57P03", "08006", "08003"):
                # admin shutdown / crash shutdown / cannot connect now
                c["lost"] += 1
                conn = None
                time.sleep(0.1)
            else:
                with lock:
                    errors.append("%s %s" % (e.pgcode, str(e).strip().splitlines()[0]))
            continue
        # acknowledged: the call returned, so its commit did
        with lock:
            ack.write("%s,%d,%s,%s\n" % (kind, row[0], row[1] or "", row[2] or ""))
            ack.flush()
        if kind == "visit":
            mine.append(row[0])
        c[kind] += 1
    if conn is not None:
        conn.close()
    with lock:
        for k, v in c.items():
            counts[k] = counts.get(k, 0) + v


def load(seconds, clients, ackfile):
    deadline = time.time() + seconds
    lock = threading.Lock()
    counts, errors = {}, []
    with open(ackfile, "a") as ack:
        threads = [threading.Thread(target=client,
                                    args=(i, deadline, ack, lock, counts, errors))
                   for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ack.flush()
        os.fsync(ack.fileno())
    print("load: %d visits, %d callbacks, %d confirms, %d cancels acknowledged; "
          "%d refused, %d calls lost to the kill, %d unexpected errors"
          % (counts["visit"], counts["callback"], counts["confirm"], counts["cancel"],
             counts["refused"], counts["lost"], len(errors)))
    for e in sorted(set(errors))[:10]:
        print("  unexpected: " + e)
    return 1 if errors else 0


def notify(timeout):
    listener = connect()
    listener.cursor().execute("LISTEN sched")
    booker = connect()
    vid = None
    # days 0-2 are left to the probes (the load books 3-60): the first
    # date and slot with a free place
    for day in (1, 2, 0):
        for slot in ("morning", "afternoon", "evening"):
            try:
                with booker.cursor() as cur:
                    cur.execute(BOOK, ("notify_probe", day, slot, "Probe", "9876500000", None))
                    vid = cur.fetchone()[0]
                break
            except psycopg2.Error as e:
                if e.pgcode not in ("PT409", "22023"):
                    raise
        if vid is not None:
            break
    if vid is None:
        print("notify: no free place left for the probe booking")
        return 1
    deadline = time.time() + timeout
    while time.time() < deadline:
        if select.select([listener], [], [], max(0.0, deadline - time.time())) == ([], [], []):
            break
        listener.poll()
        while listener.notifies:
            n = listener.notifies.pop(0)
            try:
                msg = json.loads(n.payload)
            except ValueError:
                continue
            if msg.get("entity") == "visit" and msg.get("id") == vid:
                print("notify: visit %d heard in %.2f s"
                      % (vid, timeout - (deadline - time.time())))
                return 0
    print("notify: no NOTIFY for visit %d within %s s" % (vid, timeout))
    return 1


if __name__ == "__main__":
    if sys.argv[1] == "load":
        sys.exit(load(float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
    elif sys.argv[1] == "notify":
        sys.exit(notify(float(sys.argv[2])))
    sys.exit(2)
