#!/usr/bin/env bash
# The reference worker sending for real (worker/sched_transports.py):
# email to a local SMTP server (aiosmtpd, over STARTTLS with a login), SMS
# and WhatsApp to a local HTTP receiver standing in for the gateway (MSG91's
# shape) and the Cloud API (test/worker/sinks.sh), both told to refuse some
# recipients for now (429, 500, 451, an error answer with 200, WhatsApp's
# rate limit) and some for good (550, an invalid number, WhatsApp's
# 131026).  The worker runs --once with a configuration shaped like
# worker/sched-worker.conf.example; test/worker/check_delivery.py then
# checks each job and what arrived: a refusal for now leaves the job pending
# with one attempt and a run_at after the backoff, one for good makes it dead
# with the provider's reason, nothing arrives twice, and a second run sends
# the retried jobs once when the providers take them.  Run inside a cluster
# (test/run-in-cluster.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. test/worker/lib.sh

db=sched_delivery_test
work=$(mktemp -d /tmp/sched-delivery.XXXXXX)
trap 'sinks_stop; rm -rf "$work"' EXIT
fail() { echo "worker_delivery: $*" >&2; exit 1; }

worker_db
q >/dev/null <<'SQL'
SELECT sched.book_site_visit('u1', 'Brigade Citrine', current_date + 5, 'morning', 'John Doe', '9876543210', 'john@example.com');
SELECT sched.book_site_visit('u2', 'Brigade Citrine', current_date + 5, 'morning', 'Asha Rao', '9876543220', 'asha@example.com');
SELECT sched.book_site_visit('u3', 'Brigade Citrine', current_date + 5, 'evening', 'Ravi Kumar', '9876543230', 'ravi@example.com');
SELECT sched.book_site_visit('u4', 'Brigade Citrine', current_date + 6, 'morning', 'Meena Iyer', '9876543240');
SELECT sched.book_site_visit('u5', 'Brigade Citrine', current_date + 6, 'evening', 'Kiran Shah', '9876543250');
-- WhatsApp (1.4): John opted in (keeping SMS) and wrote on WhatsApp a
-- moment ago, so WhatsApp jobs of his go as text; his confirmation is
-- copied to three numbers to see the Cloud API's answers
SELECT preferred_channel FROM sched.set_channel_for('u1', 'sms', true);
SELECT state FROM sched.chat_turn_for('u1', 'whatsapp', 'wamid.in1', 'thanks');
INSERT INTO sched.outbox (entity, entity_id, channel, recipient, template, payload)
SELECT entity, entity_id, 'whatsapp', r, template, payload
  FROM sched.outbox, unnest(ARRAY['+919876543260', '+919876543270', '+919876543280']) AS r
 WHERE entity = 'visit' AND entity_id = 1 AND channel = 'sms' AND template = 'visit_booked';
-- Neha chose WhatsApp and has not written: her texts go as templates
SELECT preferred_channel FROM sched.set_channel_for('u6', 'whatsapp', true);
SELECT sched.book_site_visit('u6', 'Brigade Citrine', current_date + 7, 'morning', 'Neha Joshi', '9876543290');
SQL

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
cat >"$work/smtp-rules.json" <<'EOF_RULES'
{"asha@example.com": "550 5.1.1 <asha@example.com>: Recipient address rejected: User unknown",
 "ravi@example.com": "451 4.3.0 Mailbox busy, try again later"}
EOF_RULES
cat >"$work/http-rules.json" <<'EOF_RULES'
{"919876543220": "429", "919876543230": "invalid", "919876543240": "500", "919876543250": "error200",
 "919876543270": "invalid", "919876543280": "ratelimit"}
EOF_RULES
sinks_start "$work" --cert "$work/cert.pem" --key "$work/key.pem" --user sched-mailer --password mail-secret

printf 'mail-secret\n' >"$work/smtp-password"
{ cat <<EOF_CONF
[worker]
dsn = dbname=$db user=sched_worker_test password=worker-test
name = delivery-test
log = $work/sent.jsonl

[mail]
transport = smtp
host = 127.0.0.1
port = $SMTP_PORT
security = starttls
cafile = $work/cert.pem
username = sched-mailer
password_file = $work/smtp-password
from = Brigade Sales <notifications@example.com>
timeout = 10

EOF_CONF
  sinks_gateways "$work"; } >"$work/worker.conf"

run() { /usr/bin/python3 worker/sched_worker.py --config "$work/worker.conf" --once >"$work/out" 2>"$work/err" ||
          fail "the worker failed: $(cat "$work/out" "$work/err")"; }

# 1. Everything due goes out once: 8 taken, 5 refused for now, 3 for good.
run
grep -qx "sched_worker: sent 10" "$work/out" || fail "expected 10 sent, got: $(cat "$work/out" "$work/err")"
grep -qx "sched_worker: failed 5 (to be retried), 3 for good" "$work/out" ||
  fail "expected 5 retried and 3 dead, got: $(cat "$work/out" "$work/err")"
/usr/bin/python3 test/worker/check_delivery.py "$db" "$work" first

# 2. Nothing is due: nothing more reaches the providers.
run
grep -qx "sched_worker: sent 0" "$work/out" || fail "a second run sent: $(cat "$work/out" "$work/err")"
/usr/bin/python3 test/worker/check_delivery.py "$db" "$work" first

# 3. The providers take everything now and the retried jobs fall due: each
#    is sent once more, the dead ones never.
echo '{}' >"$work/smtp-rules.json"
echo '{}' >"$work/http-rules.json"
q -c "UPDATE sched.outbox SET run_at = now() - interval '1 second' WHERE state = 'pending' AND attempts = 1" >/dev/null
run
grep -qx "sched_worker: sent 5" "$work/out" || fail "expected the 5 retried jobs sent, got: $(cat "$work/out" "$work/err")"
/usr/bin/python3 test/worker/check_delivery.py "$db" "$work" retry
[ ! -e "$work/sent.jsonl" ] || [ ! -s "$work/sent.jsonl" ] || fail "a message went to the log file"

# 4. The classification rules themselves, for answers the receiver does not
#    give: 408, 429 and 5xx are transient even when the reason looks final.
/usr/bin/python3 - <<'PY' || fail "the classification rules are broken"
import sys
sys.path.insert(0, "worker")
sys.dont_write_bytecode = True
import sched_transports as st
for status, for_good, kind in [(429, True, st.Transient), (408, True, st.Transient), (503, True, st.Transient),
                               (400, True, st.Permanent), (200, True, st.Permanent), (400, False, st.Transient),
                               (401, False, st.Transient)]:
    got = st.http_failure("gateway", status, "Invalid mobile number", for_good)
    assert type(got) is kind, (status, for_good, type(got).__name__)
for code, kind in [(550, st.Permanent), (553, st.Permanent), (554, st.Permanent), (451, st.Transient), (452, st.Transient)]:
    assert type(st.refusal("mx", code, b"words")) is kind, code
assert st.reason_text("a\tb\r\nc\x00") == "a b\nc" and st.reason_text("") == "no reason given"
assert len(st.reason_text("x" * 5000)) == 2000
assert st.fill('{"m": "{body}", "t": "{to_digits}"}', {"body": 'say "hi"\n', "to_digits": "91"},
               st.ESCAPES["json"]) == '{"m": "say \\"hi\\"\\n", "t": "91"}'
PY

# 5. The shipped example configuration loads (its secret files replaced),
#    and a wrong one stops the worker before it connects.
/usr/bin/python3 - "$work" <<'PY' || fail "worker/sched-worker.conf.example does not load"
import sys
sys.path.insert(0, "worker")
sys.dont_write_bytecode = True
import sched_transports as st
config = st.read_config("worker/sched-worker.conf.example")
for section in config.sections():
    for key in list(config[section]):
        if key.endswith("_file"):
            config[section][key] = sys.argv[1] + "/token"
transports = st.from_config(config, sys.argv[1] + "/example.jsonl")
kinds = {c: type(t).__name__ for c, t in transports.items()}
assert kinds == {"email": "SmtpTransport", "sms": "HttpGatewayTransport", "agent": "HttpGatewayTransport",
                 "whatsapp": "WhatsAppCloudTransport"}, kinds
PY
printf '[channels]\nsms = x\n[x]\ntransport = carrier-pigeon\n' >"$work/bad.conf"
if /usr/bin/python3 worker/sched_worker.py --config "$work/bad.conf" --dsn "dbname=$db" --once >"$work/out" 2>&1; then
  fail "a configuration with an unknown transport was taken"
fi
grep -q "transport is one of" "$work/out" || fail "the wrong configuration's error does not say why: $(cat "$work/out")"

echo "worker_delivery: ok (email over STARTTLS with a login, SMS and WhatsApp requests as rendered, each once," \
     "WhatsApp as text inside the customer service window and as a template outside it;" \
     "429, 500, 451, an error answer and a rate limit retried after the backoff; 550, an invalid number and" \
     "WhatsApp 131026 dead with the provider's reason; the retries sent once when taken)"
sinks_stop
dropdb "$db"
