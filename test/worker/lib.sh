# Sourced by test/worker.sh, test/worker_delivery.sh and demo/send.sh (from
# the top of the tree, inside a cluster: PGHOST...).
#
#   worker_db                  a fresh database $db with sched, two agents
#                              (slot_capacity 5) and the login role
#                              sched_worker_test (password worker-test)
#                              that has only the worker's calls
#   q [psql args]              psql on $db, quiet, unaligned, stopping at errors
#   sinks_start DIR [smtp options]
#                              the local SMTP server and HTTP receiver
#                              (test/worker/sinks.py), recording into
#                              DIR/smtp.jsonl and DIR/http.jsonl and answering
#                              as DIR/smtp-rules.json and DIR/http-rules.json
#                              say; sets SMTP_PORT and HTTP_PORT
#   sinks_gateways DIR         the worker's [channels], SMS gateway (MSG91's
#                              shape) and WhatsApp sections pointed at the
#                              HTTP receiver, secrets in DIR; the caller
#                              adds [worker] and [mail]
#   sinks_stop                 stops the SMTP server and HTTP receiver

q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

worker_db() {
  dropdb --if-exists "$db" 2>/dev/null
  createdb "$db"
  q >/dev/null <<'SQL'
CREATE EXTENSION sched;
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sched_worker_test') THEN
    CREATE ROLE sched_worker_test LOGIN PASSWORD 'worker-test';
  END IF;
END $$;
SELECT sched.grant_worker_calls('sched_worker_test');
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('Priya Sharma', '9876543211', 5), ('Amit Patel', '9876543213', 5);
SQL
}

sink_pids=
sinks_start() {
  local dir=$1 kind i
  shift
  /usr/bin/python3 test/worker/sinks.py smtp --port-file "$dir/smtp.port" --out "$dir/smtp.jsonl" \
    --rules "$dir/smtp-rules.json" "$@" 2>"$dir/smtp.err" &
  sink_pids="$sink_pids $!"
  /usr/bin/python3 test/worker/sinks.py http --port-file "$dir/http.port" --out "$dir/http.jsonl" \
    --rules "$dir/http-rules.json" 2>"$dir/http.err" &
  sink_pids="$sink_pids $!"
  for i in $(seq 1 100); do
    [ -s "$dir/smtp.port" ] && [ -s "$dir/http.port" ] && break
    sleep 0.1
  done
  for kind in smtp http; do
    [ -s "$dir/$kind.port" ] || { cat "$dir/$kind.err" >&2; echo "sinks: the $kind stand-in did not start" >&2; return 1; }
  done
  SMTP_PORT=$(cat "$dir/smtp.port")
  HTTP_PORT=$(cat "$dir/http.port")
  touch "$dir/smtp.jsonl" "$dir/http.jsonl"
}

sinks_gateways() {
  local dir=$1
  printf 'test-authkey\n' >"$dir/authkey"
  printf 'test-token\n' >"$dir/token"
  cat <<EOF_CONF
[channels]
email = mail
sms = msg91
agent = msg91
whatsapp = whatsapp

[msg91]
transport = http
method = GET
url = http://127.0.0.1:$HTTP_PORT/api/v2/sendsms?authkey={secret}&mobiles={to_digits}&message={body}&sender=BRGSLS&route=4&country=0&response=json
secret_file = $dir/authkey
success_field = type
success_value = success
reason_field = message
permanent_reasons = invalid (mobile|number)
timeout = 10

[whatsapp]
transport = whatsapp_cloud
base_url = http://127.0.0.1:$HTTP_PORT/v21.0
phone_number_id = 123456789012345
token_file = $dir/token
timeout = 10
EOF_CONF
}

sinks_stop() {
  [ -n "$sink_pids" ] || return 0
  # shellcheck disable=SC2086
  kill $sink_pids 2>/dev/null || true
  # shellcheck disable=SC2086
  wait $sink_pids 2>/dev/null || true
  sink_pids=
}
