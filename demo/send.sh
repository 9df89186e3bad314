#!/usr/bin/env bash
# The demo's delivery (called from demo/story.sql): a local SMTP server and
# an HTTP receiver standing in for the providers (test/worker/lib.sh),
# the reference worker sending every due job to them once, then what
# arrived, a line a message.  Runs against the demo's cluster (PGHOST...).
set -euo pipefail
cd "$(dirname "$0")/.."
. test/worker/lib.sh
work=$(mktemp -d /tmp/sched-demo-send.XXXXXX)
trap 'sinks_stop; rm -rf "$work"' EXIT
sinks_start "$work"
{ cat <<EOF_CONF
[worker]
name = demo-worker

[mail]
transport = smtp
host = 127.0.0.1
port = $SMTP_PORT
security = none
from = Brigade Sales <notifications@brigade.example>

EOF_CONF
  sinks_gateways "$work"; } >"$work/worker.conf"
echo "\$ worker/sched_worker.py --config worker.conf --once   # SMTP on 127.0.0.1:$SMTP_PORT, the gateways' stand-in on 127.0.0.1:$HTTP_PORT"
/usr/bin/python3 worker/sched_worker.py --config "$work/worker.conf" --once
/usr/bin/python3 - "$work" <<'PY'
import json, sys
short = lambda text: (lambda t: t if len(t) <= 90 else t[:87] + "...")(" ".join(text.split()))
print("The local SMTP server received:")
for line in open(sys.argv[1] + "/smtp.jsonl", encoding="utf-8"):
    m = json.loads(line)
    print("  To: %-22s Subject: %s" % (m["to"], m["subject"]))
print("The local HTTP receiver (standing in for MSG91's SMS API and WhatsApp's Cloud API) received:")
for line in open(sys.argv[1] + "/http.jsonl", encoding="utf-8"):
    r = json.loads(line)
    if r["path"].endswith("/messages"):
        body = json.loads(r["body"])
        print("  POST %s  to=%s  %s" % (r["path"], body["to"], short(body["text"]["body"])))
    else:
        print("  %s %s  mobiles=%s  %s" % (r["method"], r["path"], r["query"]["mobiles"], short(r["query"]["message"])))
PY
