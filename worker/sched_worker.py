#!/usr/bin/python3
"""sched_worker: the reference notification worker of sched (1.1).

It LISTENs on channel "sched", claims due outbox jobs with sched.claim_jobs,
renders each with sched.render_message and sends it on its channel's
transport (sched_transports.py): email over SMTP, SMS through an HTTP
gateway, WhatsApp through the Cloud API, or one JSON line in a log file.
Then it reports back: sched.complete_job when the provider took the
message, sched.fail_job (retried with a growing delay) when it failed for
now, sched.fail_job_permanently (dead at once, with the provider's reason)
when the provider refused it for good.  Without --config every channel
goes to the log file (--log).

It wakes on every NOTIFY and at least every --poll seconds, because
reminders fall due without a notification.  NOTIFY is only a wake-up: when
the connection drops (a restart, a failover, a network cut) the worker
connects again with a growing delay (0.5 s doubling to 30 s) and reads the
outbox before it waits, so nothing committed meanwhile is missed.  A
server that is read-only (a hot standby: LISTEN and the worker's calls
fail there with 25006) is treated the same way, so a worker given a list
of hosts, or a standby's, finds the primary after a failover.  Connect
it to the server directly, never through a transaction pooler: LISTEN
belongs to a session.

    sched_worker.py --config /etc/sched/worker.conf    # worker/sched-worker.conf.example
    sched_worker.py --dsn 'dbname=sales' --log /var/log/sched/sent.jsonl
    sched_worker.py --dsn 'host=pg1,pg2 target_session_attrs=read-write dbname=sales' ...
    sched_worker.py --once ...      # send what is due now, then exit

The command line's --dsn, --log, --name, --batch and --poll win over the
configuration's [worker] section.  The database role needs only
sched.grant_worker_calls(role).  Debian: apt-get install python3-psycopg2.
"""
import argparse
import collections
import os
import random
import select
import socket
import sys
import time
import traceback

sys.dont_write_bytecode = True          # no __pycache__ beside the worker (ProtectSystem=strict)
import psycopg2                         # noqa: E402
import psycopg2.errors                  # noqa: E402

import sched_transports as st           # noqa: E402


def deliver(transports, m):
    """Send one message; None when the provider took it, else the
    Transient or Permanent failure."""
    transport = transports.get(m.channel)
    if transport is None:
        return st.Transient("no transport for channel %s in the worker's configuration" % m.channel)
    try:
        transport.send(m)
        return None
    except st.DeliveryError as e:
        return e
    except Exception as e:              # a fault of the worker's own: try again later
        traceback.print_exc(file=sys.stderr)
        return st.Transient("worker fault: %s: %s" % (type(e).__name__, e))


def report(conn, m, failure):
    """complete_job, fail_job or fail_job_permanently for one job; which
    of the three happened ('sent', 'retry', 'dead'), or None when the job
    had left the worker's hands (PT409: its lease ran out and another
    worker has it, or its visit was cancelled)."""
    if failure is None:
        call, outcome = "SELECT sched.complete_job(%s)", "sent"
        args = (m.job_id,)
    else:
        reason = st.reason_text(failure)
        call, outcome = "SELECT sched.fail_job(%s, %s)", "retry"
        if isinstance(failure, st.Permanent):
            call, outcome = "SELECT sched.fail_job_permanently(%s, %s)", "dead"
        args = (m.job_id, reason)
        print("sched_worker: job %d (%s, %s): %s: %s"
              % (m.job_id, m.template, m.channel, "refused for good" if outcome == "dead" else "will retry",
                 reason.splitlines()[0]), file=sys.stderr, flush=True)
    try:
        with conn.cursor() as cur:
            cur.execute(call, args)
        return outcome
    except (psycopg2.errors.UndefinedFunction, psycopg2.errors.InsufficientPrivilege):
        # a database before 1.4 has no fail_job_permanently, and after the
        # update the worker's role has it once grant_worker_calls is run
        # again (docs/operations.md): until then, retry instead
        with conn.cursor() as cur:
            cur.execute("SELECT sched.fail_job(%s, %s)", args)
        return "retry"
    except psycopg2.Error as e:
        if e.pgcode == "PT409":
            return None
        raise


def drain(conn, name, batch, transports):
    """Claim and send until nothing is due; how many were sent, retried
    and dead."""
    tally = collections.Counter()
    while True:
        with conn.cursor() as cur:
            cur.execute("SELECT job_id, template, created_at FROM sched.claim_jobs(%s, %s)", (name, batch))
            jobs = cur.fetchall()
        if not jobs:
            return tally
        for job_id, template, created_at in jobs:
            try:
                with conn.cursor() as cur:
                    # 1.4 adds the WhatsApp template's columns; before it, none
                    cur.execute("SELECT * FROM sched.render_message(%s)", (job_id,))
                    row = dict(zip([d.name for d in cur.description], cur.fetchone()))
                    m = st.Message(job_id, template, created_at, row["channel"], row["recipient"],
                                   row["subject"], row["body"], row.get("template_name"),
                                   row.get("language"), row.get("parameters"))
            except psycopg2.Error as e:
                if e.pgcode == "PT409":      # cancelled since it was claimed: never send it
                    continue
                raise
            outcome = report(conn, m, deliver(transports, m))
            if outcome:
                tally[outcome] += 1


def summary(tally):
    """'sent N', and the failures when there were any."""
    line = "sched_worker: sent %d" % tally["sent"]
    if tally["retry"] or tally["dead"]:
        line += "\nsched_worker: failed %d (to be retried), %d for good" % (tally["retry"], tally["dead"])
    return line


def settings():
    """The command line over the configuration file's [worker] section;
    the transports."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", help="INI file: [worker], [channels] and a section per transport")
    ap.add_argument("--dsn", help="libpq connection string (default: $SCHED_DSN)")
    ap.add_argument("--log", help="where the log transport writes (default: sched-sent.jsonl)")
    ap.add_argument("--name", help="worker name (default: host-pid)")
    ap.add_argument("--batch", type=int, help="jobs per claim (1-1000; default 50)")
    ap.add_argument("--poll", type=float, help="seconds between checks without NOTIFY (default 60)")
    ap.add_argument("--once", action="store_true", help="send what is due now and exit")
    args = ap.parse_args()
    defaults = {"dsn": os.environ.get("SCHED_DSN", ""), "log": "sched-sent.jsonl",
                "name": "%s-%d" % (socket.gethostname(), os.getpid()), "batch": "50", "poll": "60"}
    try:
        config = st.read_config(args.config) if args.config else None
        worker = config["worker"] if config is not None and config.has_section("worker") else {}
        for key, value in defaults.items():
            if getattr(args, key) is None:
                setattr(args, key, worker.get(key, value))
        args.batch, args.poll = int(args.batch), float(args.poll)
        if config is None:
            log = st.LogTransport(args.log)
            transports = {channel: log for channel in st.CHANNELS}
        else:
            transports = st.from_config(config, args.log)
    except (st.ConfigError, OSError, ValueError) as e:
        ap.error("configuration: %s" % e)
    return args, transports


def main():
    args, transports = settings()
    if args.once:
        conn = connect(args.dsn, listen=False)
        print(summary(drain(conn, args.name, args.batch, transports)), flush=True)
        return 0
    delay = 0.5
    while True:
        try:
            conn = connect(args.dsn, listen=True)
            delay = 0.5
            serve(conn, args, transports)   # returns only by an exception
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


def serve(conn, args, transports):
    """Send what is due, then wait for a NOTIFY or the poll, forever.  The
    first drain after (re)connecting reads everything due, NOTIFY or not."""
    try:
        while True:
            tally = drain(conn, args.name, args.batch, transports)
            if sum(tally.values()):
                print(summary(tally), flush=True)
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
