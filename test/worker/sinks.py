#!/usr/bin/python3
"""sinks: local stand-ins for the providers the reference worker sends to,
for test/worker_delivery.sh and the demo (started by test/worker/lib.sh).

    sinks.py smtp --port-file F --out OUT [--rules R] [--cert C --key K] [--user U --password P]
    sinks.py http --port-file F --out OUT [--rules R]

Each listens on 127.0.0.1 at a free port (written to --port-file once it
answers), keeps what it receives as one JSON line each in --out, reads
the JSON object in --rules at each message to know how to answer, and runs
until SIGTERM.

smtp: a real SMTP server (aiosmtpd; Debian's python3-aiosmtpd).  Rules map
a recipient's address to the reply to its RCPT TO ("550 5.1.1 User
unknown"); others are accepted.  With --cert and --key it offers STARTTLS
and requires it, with --user and --password also that login.

http: the SMS gateway (MSG91's shape) and the WhatsApp Cloud API (a path
ending in /messages).  A rule's key found in the request's query or body
(a number: 919876543220) picks the answer, "ok" otherwise:
    ok         200 and the provider's success answer
    429        429, too many requests
    500        500, the provider's fault
    invalid    400, the number refused (MSG91: "Invalid mobile number";
               WhatsApp: error 131026, undeliverable)
    error200   200 with the gateway's error answer "Insufficient balance"
    ratelimit  WhatsApp's 400 with error 130429, rate limit hit
"""
import argparse
import email
import email.policy
import http.server
import json
import signal
import socket
import threading
import urllib.parse


def rules(path):
    """The rules file's object as it is now ({} when there is none)."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (TypeError, FileNotFoundError):
        return {}


def record(out, lock, entry):
    with lock, open(out, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


class SmtpHandler:
    """aiosmtpd's handler: the rules at RCPT, the record at DATA."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = rules(self.args.rules).get(address.lower())
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        mail = email.message_from_bytes(envelope.original_content or envelope.content,
                                        policy=email.policy.default)
        login = session.auth_data.login.decode() if session.authenticated else None
        record(self.args.out, self.lock, {
            "mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
            "from": mail["From"], "to": mail["To"], "subject": mail["Subject"],
            "message_id": mail["Message-ID"], "body": mail.get_content().replace("\r\n", "\n"),
            "tls": session.ssl is not None, "login": login})
        return "250 Message accepted for delivery"


def smtp(args):
    """Start the SMTP server; its port and how to stop it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword
    options = {}
    if args.cert:
        import ssl
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.cert, args.key)
        options.update(tls_context=tls, require_starttls=True)
    if args.user:
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user
                  and auth_data.password.decode() == args.password)
            return AuthResult(success=ok, auth_data=auth_data if ok else None)
        options.update(authenticator=authenticator, auth_required=True)
    with socket.socket() as s:          # a free port (Controller needs a number)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(SmtpHandler(args), hostname="127.0.0.1", port=port, **options)
    controller.start()
    return port, controller.stop


def http_answer(kind, whatsapp, n):
    """(status, JSON body) of the answer KIND in the provider's shape."""
    def meta_error(code, message):
        return 400, {"error": {"message": message, "type": "OAuthException", "code": code,
                               "error_data": {"messaging_product": "whatsapp", "details": message},
                               "fbtrace_id": "Atest%d" % n}}
    if kind == "429":
        return 429, {"type": "error", "message": "Too many requests"}
    if kind == "500":
        return 500, {"type": "error", "message": "Internal server error"}
    if whatsapp:
        if kind == "invalid":
            return meta_error(131026, "(#131026) Message undeliverable")
        if kind == "ratelimit":
            return meta_error(130429, "(#130429) Rate limit hit")
        return 200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.test%d" % n}]}
    if kind == "invalid":
        return 400, {"type": "error", "message": "Invalid mobile number"}
    if kind == "error200":
        return 200, {"type": "error", "message": "Insufficient balance"}
    return 200, {"type": "success", "message": "req%d" % n}


class HttpHandler(http.server.BaseHTTPRequestHandler):
    server_version = "sinks"

    def do_GET(self):
        self.answer()

    def do_POST(self):
        self.answer()

    def answer(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
        url = urllib.parse.urlsplit(self.path)
        seen = urllib.parse.unquote_plus(url.query) + "\n" + body
        kind = next((v for k, v in rules(self.server.args.rules).items() if k in seen), "ok")
        with self.server.count_lock:
            self.server.count += 1
            n = self.server.count
        status, reply = http_answer(kind, url.path.endswith("/messages"), n)
        record(self.server.args.out, self.server.count_lock, {
            "method": self.command, "path": url.path, "query": dict(urllib.parse.parse_qsl(url.query)),
            "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body, "status": status})
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def http_receiver(args):
    """Start the HTTP receiver; its port and how to stop it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HttpHandler)
    server.args, server.count_lock, server.count = args, threading.Lock(), 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1], server.shutdown


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=("smtp", "http"))
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rules")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--user")
    ap.add_argument("--password")
    args = ap.parse_args()
    port, stop_server = (smtp if args.kind == "smtp" else http_receiver)(args)
    with open(args.port_file, "w") as f:
        f.write("%d\n" % port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    stop_server()


if __name__ == "__main__":
    main()
