#!/usr/bin/python3
"""check_delivery: what test/worker_delivery.sh asserts after each run of
the worker: every job's state, attempts, next run and last_error, and what
arrived at the local SMTP server and HTTP receiver (test/worker/sinks.sh),
message by message: the rendered text, to the right recipient, over
STARTTLS with the login, each exactly as many times as it was tried.

    check_delivery.py DB WORKDIR first|retry
"""
import json
import re
import sys

import psycopg2

PHONE_NUMBER_ID = "123456789012345"

# (channel, recipient) -> state after the first run, its last_error, and
# how many copies the provider got (a refusal at RCPT TO leaves none).
# Every job pending after the first run is sent by the second, once more.
FIRST = {
    ("sms", "+919876543210"): ("done", None, 1),
    ("email", "john@example.com"): ("done", None, 1),
    ("sms", "+919876543220"): ("pending", r"^sms gateway 429: Too many requests$", 1),
    ("email", "asha@example.com"): ("dead", r"^smtp 127\.0\.0\.1 550: 5\.1\.1 .*User unknown", 0),
    ("sms", "+919876543230"): ("dead", r"^sms gateway 400: Invalid mobile number$", 1),
    ("email", "ravi@example.com"): ("pending", r"^smtp 127\.0\.0\.1 451: 4\.3\.0 ", 0),
    ("sms", "+919876543240"): ("pending", r"^sms gateway 500: Internal server error$", 1),
    ("sms", "+919876543250"): ("pending", r"^sms gateway 200: Insufficient balance$", 1),
    ("whatsapp", "+919876543260"): ("done", None, 1),
    ("whatsapp", "+919876543270"): ("dead", r"^whatsapp 400: code 131026: \(#131026\) Message undeliverable", 1),
    ("whatsapp", "+919876543280"): ("pending", r"^whatsapp 400: code 130429: ", 1),
    ("whatsapp", "+919876543290"): ("done", None, 1),     # an SMS job of a customer on WhatsApp: a template
    ("agent", "+919876543211"): ("done", None, 1),
    ("agent", "+919876543213"): ("done", None, 1),
}

errors = []


def check(ok, what):
    if not ok:
        errors.append(what)


def arrivals(job, smtp, sms, whatsapp):
    """The copies of JOB the providers got, checking each one's form."""
    job_id, channel, recipient, subject, body = (job[k] for k in ("job_id", "channel", "recipient",
                                                                   "subject", "body"))
    template = job["template_name"]
    if channel == "email":
        got = [r for r in smtp if r["to"] == recipient and r["subject"] == subject]
        for r in got:
            check(r["body"].rstrip("\n") == body.rstrip("\n"), "job %d: the email's body is not the rendered one" % job_id)
            check(r["rcpt_tos"] == [recipient], "job %d: envelope recipients %s" % (job_id, r["rcpt_tos"]))
            check(r["mail_from"] == "notifications@example.com", "job %d: envelope sender %s" % (job_id, r["mail_from"]))
            check(r["from"] == "Brigade Sales <notifications@example.com>", "job %d: From %s" % (job_id, r["from"]))
            check(r["tls"] and r["login"] == "sched-mailer", "job %d: not sent over STARTTLS with the login" % job_id)
            check(re.fullmatch(r"<sched-job-%d-\d+@example\.com>" % job_id, r["message_id"] or ""),
                  "job %d: Message-ID %s" % (job_id, r["message_id"]))
        return len(got)
    if channel == "whatsapp":
        want = {"messaging_product": "whatsapp", "to": recipient, "type": "text", "text": {"body": body}}
        if template:
            want = {"messaging_product": "whatsapp", "to": recipient, "type": "template",
                    "template": {"name": template, "language": {"code": job["language"]},
                                 "components": [{"type": "body", "parameters": [
                                     {"type": "text", "text": p} for p in job["parameters"]]}]}}
        got = [r for r in whatsapp if json.loads(r["body"]).get("to") == recipient]
        for r in got:
            check(json.loads(r["body"]) == want, "job %d: WhatsApp request %s, not %s" % (job_id, r["body"], want))
            check(r["headers"].get("authorization") == "Bearer test-token", "job %d: no Bearer token" % job_id)
            check(r["method"] == "POST", "job %d: WhatsApp request by %s" % (job_id, r["method"]))
        return len(got)
    got = [r for r in sms if r["query"].get("mobiles") == recipient.lstrip("+") and r["query"].get("message") == body]
    for r in got:
        q = r["query"]
        check(r["method"] == "GET" and q.get("authkey") == "test-authkey" and q.get("sender") == "BRGSLS"
              and q.get("route") == "4", "job %d: SMS request %s" % (job_id, q))
    return len(got)


def main():
    db, work, stage = sys.argv[1:4]
    conn = psycopg2.connect(dbname=db)
    with conn.cursor() as cur:
        cur.execute("""
            SELECT o.job_id, m.channel, o.recipient, o.state::text, o.attempts,
                   o.run_at > now() + interval '30 seconds', o.last_error, m.subject, m.body,
                   m.template_name, m.language, m.parameters
              FROM sched.outbox o, LATERAL sched.render_message(o.job_id) m
             WHERE o.template NOT LIKE 'visit_reminder%' ORDER BY o.job_id""")
        keys = ("job_id", "channel", "recipient", "state", "attempts", "later", "last_error", "subject", "body",
                "template_name", "language", "parameters")
        jobs = [dict(zip(keys, row)) for row in cur.fetchall()]
    smtp = [json.loads(line) for line in open(work + "/smtp.jsonl", encoding="utf-8")]
    http = [json.loads(line) for line in open(work + "/http.jsonl", encoding="utf-8")]
    sms = [r for r in http if r["path"] == "/api/v2/sendsms"]
    whatsapp = [r for r in http if r["path"] == "/v21.0/%s/messages" % PHONE_NUMBER_ID]
    check(len(sms) + len(whatsapp) == len(http), "requests to other paths: %s"
          % [r["path"] for r in http if r not in sms and r not in whatsapp])
    check(len(jobs) == 18, "%d jobs, not 18" % len(jobs))
    check(any(j["template_name"] == "sched_visit_booked" for j in jobs), "no job went as a WhatsApp template")
    expected_copies = 0
    for job in jobs:
        key = (job["channel"], job["recipient"])
        if key not in FIRST:
            errors.append("job %d: unexpected %s" % (job["job_id"], key))
            continue
        state, error, copies = FIRST[key]
        attempts = 1
        if stage == "retry" and state == "pending":
            state, error, copies, attempts = "done", None, copies + 1, 2
        what = "job %d (%s %s)" % (job["job_id"], *key)
        check(job["state"] == state, "%s is %s, not %s (%s)" % (what, job["state"], state, job["last_error"]))
        check(job["attempts"] == attempts, "%s had %d attempts, not %d" % (what, job["attempts"], attempts))
        if state == "pending":
            check(job["later"], "%s is due again within 30 seconds, not after the backoff" % what)
        if error:
            check(re.search(error, job["last_error"] or ""), "%s: last_error %r does not match %r"
                  % (what, job["last_error"], error))
        n = arrivals(job, smtp, sms, whatsapp)
        check(n == copies, "%s reached the provider %d times, not %d" % (what, n, copies))
        expected_copies += copies
    check(len(smtp) + len(http) == expected_copies,
          "the providers got %d messages, not %d" % (len(smtp) + len(http), expected_copies))
    if errors:
        for e in errors:
            print("worker_delivery: " + e, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
