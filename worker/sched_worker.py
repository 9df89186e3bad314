#!/usr/bin/python3
"""sched_worker: the reference notification worker of sched (1.1).

It LISTENs on channel "sched", claims due outbox jobs with sched.claim_jobs,
renders each with sched.render_message, "sends" it by appending one JSON
line to a log file (a real worker calls its email, SMS or WhatsApp provider
here), and reports back with sched.complete_job or sched.fail_job.  It
wakes on every NOTIFY and at least every --poll seconds, because reminders
fall due without a notification.  NOTIFY is only a wake-up: when the
connection drops (a restart, a failover, a network cut) the worker
connects again with a growing delay (0.5 s doubling to 30 s) and reads the
outbox before it waits, so nothing committed meanwhile is missed.  A
server that is read-only (a hot standby: LISTEN and the worker's calls
fail there with 25006) is treated the same way, so a worker given a list
of hosts, or a standby's, finds the primary after a failover.  Connect
it to the server directly, never through a transaction pooler: LISTEN
belongs to a session.

    sched_worker.py --dsn 'dbname=sales' --log /var/log/sched/sent.jsonl
    sched_worker.py --dsn 'host=pg1,pg2 target_session_attrs=read-write dbname=sales' ...
    sched_worker.py --once ...      # send what is due now, then exit

The database role needs only sched.grant_worker_calls(role).  Debian:
apt-get install python3-psycopg2.
"""
import argparse
import json
import os
import random
import select
import socket
import sys
import time

import psycopg2
import psycopg2.errors


def send(job, message, log):
    """Deliver one message: here, one JSON line in the log file."""
    channel, recipient, subject, body = message
    line = {"job_id": job["job_id"], "template": job["template"], "channel": channel,
            "recipient": recipient, "subject": subject, "body": body,
            "sent_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    log.write(json.dumps(line, ensure_ascii=False) + "\n")
    log.flush()


def drain(conn, name, batch, log):
    """Claim and send until nothing is due; returns how many were sent."""
    sent = 0
    while True:
        with conn.cursor() as cur:
            cur.execute("SELECT job_id, template FROM sched.claim_jobs(%s, %s)", (name, batch))
            jobs = [{"job_id": r[0], "template": r[1]} for r in cur.fetchall()]
        if not jobs:
            return sent
        for job in jobs:
            try:
                with conn.cursor() as cur:
                    cur.execute("SELECT channel, recipient, subject, body FROM sched.render_message(%s)",
                                (job["job_id"],))
                    message = cur.fetchone()
            except psycopg2.Error as e:
                if e.pgcode == "PT409":      # cancelled since it was claimed: never send it
                    continue
                raise
            try:
                send(job, message, log)
            except OSError as e:             # the provider failed: retry later
                with conn.cursor() as cur:
                    cur.execute("SELECT sched.fail_job(%s, %s)", (job["job_id"], str(e)[:2000]))
                continue
            try:
                with conn.cursor() as cur:
                    cur.execute("SELECT sched.complete_job(%s)", (job["job_id"],))
                sent += 1
            except psycopg2.Error as e:
                if e.pgcode != "PT409":      # lease ran out and another worker has it
                    raise


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dsn", default=os.environ.get("SCHED_DSN", ""), help="libpq connection string")
    ap.add_argument("--log", default="sched-sent.jsonl", help="where sent messages are written")
    ap.add_argument("--name", default="%s-%d" % (socket.gethostname(), os.getpid()), help="worker name")
    ap.add_argument("--batch", type=int, default=50, help="jobs per claim (1-1000)")
    ap.add_argument("--poll", type=float, default=60.0, help="seconds between checks without NOTIFY")
    ap.add_argument("--once", action="store_true", help="send what is due now and exit")
    args = ap.parse_args()

    with open(args.log, "a", encoding="utf-8") as log:
        if args.once:
            conn = connect(args.dsn, listen=False)
            print("sched_worker: sent %d" % drain(conn, args.name, args.batch, log))
            return 0
        delay = 0.5
        while True:
            try:
                conn = connect(args.dsn, listen=True)
                delay = 0.5
                serve(conn, args, log)      # returns only by an exception
            except (psycopg2.OperationalError, psycopg2.InterfaceError,
                    psycopg2.errors.ReadOnlySqlTransaction) as e:
                print("sched_worker: connection lost or read-only (%s); again in %.1f s"
                      % (str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__, delay),
                      file=sys.stderr, flush=True)
                time.sleep(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, 30.0)


def connect(dsn, listen):
    """A connection whose calls each commit (claims never hold locks while
    sending), LISTENing when the worker waits for NOTIFY."""
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    if listen:
        with conn.cursor() as cur:
            cur.execute("LISTEN sched")
    return conn


def serve(conn, args, log):
    """Send what is due, then wait for a NOTIFY or the poll, forever.  The
    first drain after (re)connecting reads everything due, NOTIFY or not."""
    try:
        while True:
            n = drain(conn, args.name, args.batch, log)
            if n:
                print("sched_worker: sent %d" % n, flush=True)
            if select.select([conn], [], [], args.poll) != ([], [], []):
                conn.poll()
                conn.notifies.clear()
    finally:
        try:
            conn.close()
        except psycopg2.Error:
            pass


if __name__ == "__main__":
    sys.exit(main())
