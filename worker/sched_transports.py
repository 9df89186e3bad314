"""sched_transports: how the reference worker (sched_worker.py) delivers a
message on each channel: a log file, SMTP, an HTTP SMS gateway or the
WhatsApp Cloud API.

Each transport's send(message) returns when the provider took the message,
or raises Transient (try again later: sched.fail_job and its backoff) or
Permanent (refused for good: sched.fail_job_permanently, the job is dead
at once).  str() of either is the reason kept in the job's last_error.
docs/notifications.md lists which answer of which provider is which.
Standard library only.
"""
import configparser
import http.client
import json
import re
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

CHANNELS = ("email", "sms", "whatsapp", "agent")


class ConfigError(Exception):
    """The configuration file is wrong; the worker does not start."""


class DeliveryError(Exception):
    """A message that did not leave."""


class Transient(DeliveryError):
    """Worth trying again later: no answer, rate limits, the provider's own
    faults, and faults of the worker's configuration (fixed by a person
    while the job waits out its backoff)."""


class Permanent(DeliveryError):
    """The provider refused the message itself or its recipient: sending it
    again would fail the same way."""


@dataclass
class Message:
    """One outbox job as sched.render_message renders it."""
    job_id: int
    template: str
    created_at: datetime
    channel: str
    recipient: str
    subject: str
    body: str
    # 1.4: for WhatsApp outside its 24-hour window, the approved template
    template_name: str = None
    language: str = None
    parameters: list = None


def reason_text(text):
    """A reason sched.fail_job accepts: no control characters but line
    breaks, never empty, at most 2000 characters."""
    text = re.sub(r"[\x00-\x09\x0b-\x1f\x7f]", " ", str(text).replace("\r\n", "\n")).strip()
    return (text or "no reason given")[:2000]


def read_secret(section, key):
    """The value of KEY, or the contents of the file named by KEY_file (so
    that the configuration itself can be readable by more people)."""
    if section.get(key):
        return section.get(key)
    path = section.get(key + "_file")
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().rstrip("\r\n")
    except OSError as e:
        raise ConfigError("[%s] %s_file: %s" % (section.name, key, e)) from e


def required(section, key):
    """A setting the transport cannot work without."""
    value = section.get(key)
    if not value:
        raise ConfigError("[%s] needs %s" % (section.name, key))
    return value


class LogTransport:
    """Appends one JSON line a message to a file: what the worker did before
    it sent for real, and still useful for a staging system."""

    def __init__(self, path):
        self.file = open(path, "a", encoding="utf-8")

    def send(self, m):
        line = {"job_id": m.job_id, "template": m.template, "channel": m.channel,
                "recipient": m.recipient, "subject": m.subject, "body": m.body,
                "sent_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        try:
            self.file.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.file.flush()
        except OSError as e:
            raise Transient("log file: %s" % e) from e


class SmtpTransport:
    """Email over SMTP: STARTTLS (or TLS from the start, or neither on a
    trusted local relay), a login, one connection a message.

    A 5xx answer to the recipient (RCPT TO) or to the message (DATA) is
    permanent: the mailbox does not exist, the address is refused, the
    message is refused.  Everything before that (the greeting, EHLO,
    STARTTLS, the login, the sender) concerns every message alike, so its
    refusals are transient, like 4xx answers and connection failures."""

    def __init__(self, section):
        self.host = required(section, "host")
        self.security = section.get("security", "starttls")
        if self.security not in ("starttls", "tls", "none"):
            raise ConfigError("[%s] security is starttls, tls or none" % section.name)
        self.port = section.getint("port", {"starttls": 587, "tls": 465, "none": 25}[self.security])
        self.username = section.get("username")
        self.password = read_secret(section, "password")
        if self.username and self.password is None:
            raise ConfigError("[%s] has a username but no password or password_file" % section.name)
        self.sender = required(section, "from")
        self.domain = parseaddr(self.sender)[1].rpartition("@")[2] or "localhost"
        self.timeout = section.getfloat("timeout", 30.0)
        self.helo = section.get("helo")
        # cafile: a private CA (the tests' own); by default the system's
        self.context = ssl.create_default_context(cafile=section.get("cafile"))

    def send(self, m):
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = m.recipient
        mail["Subject"] = m.subject or ""
        mail["Date"] = formatdate(localtime=True)
        # the same job always has the same id, so a copy sent again after a
        # lost answer can be recognised (job_id with created_at: ids can
        # come again after an asynchronous failover, never with the same time)
        mail["Message-ID"] = "<sched-job-%d-%d@%s>" % (
            m.job_id, int(m.created_at.timestamp() * 1e6), self.domain)
        mail.set_content(m.body)
        try:
            smtp = self.open()
        except smtplib.SMTPResponseException as e:
            raise Transient(smtp_reason(self.host, e.smtp_code, e.smtp_error)) from e
        except (smtplib.SMTPException, OSError) as e:
            raise Transient("smtp %s: %s" % (self.host, e or type(e).__name__)) from e
        try:
            smtp.send_message(mail, to_addrs=[m.recipient])
        except smtplib.SMTPRecipientsRefused as e:
            code, text = next(iter(e.recipients.values()))
            raise refusal(self.host, code, text) from e
        except smtplib.SMTPDataError as e:
            raise refusal(self.host, e.smtp_code, e.smtp_error) from e
        except smtplib.SMTPResponseException as e:   # the sender refused: every message alike
            raise Transient(smtp_reason(self.host, e.smtp_code, e.smtp_error)) from e
        except (smtplib.SMTPException, OSError) as e:
            raise Transient("smtp %s: %s" % (self.host, e or type(e).__name__)) from e
        finally:
            try:
                smtp.quit()              # after the message was taken, a failing QUIT changes nothing
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def open(self):
        """A connection that has said EHLO, STARTTLS and logged in."""
        if self.security == "tls":
            smtp = smtplib.SMTP_SSL(self.host, self.port, local_hostname=self.helo,
                                    timeout=self.timeout, context=self.context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, local_hostname=self.helo, timeout=self.timeout)
        try:
            smtp.ehlo()
            if self.security == "starttls":
                smtp.starttls(context=self.context)   # never falls back to plain text
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password)
        except BaseException:
            smtp.close()
            raise
        return smtp


def smtp_reason(host, code, text):
    """'smtp HOST CODE: the server's words'."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return "smtp %s %s: %s" % (host, code, " ".join(text.split()))


def refusal(host, code, text):
    """The server's answer to the recipient or the message: 5xx for good."""
    reason = smtp_reason(host, code, text)
    return Permanent(reason) if 500 <= code < 600 else Transient(reason)


def http_call(what, method, url, data, headers, timeout):
    """(status, body text) of one HTTP request; Transient if no answer came
    (refused, reset, timed out)."""
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read(65536).decode("utf-8", "replace")
    except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
        raise Transient("%s: no answer from %s (%s)"
                        % (what, urllib.parse.urlsplit(url).netloc, getattr(e, "reason", e))) from e


def http_failure(what, status, reason, for_good):
    """A provider's refusal: 408, 429 and 5xx are transient whatever they
    say; other answers are permanent when the provider named the message or
    its recipient as the cause (for_good), transient otherwise (a wrong key
    or URL is the same for every message: fixed, the jobs go out)."""
    text = "%s %d: %s" % (what, status, reason)
    if status in (408, 429) or status >= 500 or not for_good:
        return Transient(text)
    return Permanent(text)


def json_or_none(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


def dig(answer, path):
    """answer["a"]["b"] for path "a.b"; None where it is not there."""
    for key in path.split("."):
        if not isinstance(answer, dict):
            return None
        answer = answer.get(key)
    return answer


PLACEHOLDER = re.compile(r"\{(to|to_digits|body|secret)\}")


def header_value(value):
    if "\r" in value or "\n" in value:
        raise Transient("a header would contain a line break")
    return value


ESCAPES = {
    "form": urllib.parse.quote_plus,
    "json": lambda v: json.dumps(v, ensure_ascii=False)[1:-1],
    "raw": lambda v: v,
}


def fill(template, values, escape):
    """template with {to}, {to_digits}, {body} and {secret} replaced, each
    escaped for where it stands; other braces (JSON's) are left alone."""
    return PLACEHOLDER.sub(lambda mt: escape(values[mt.group(1)]), template)


class HttpGatewayTransport:
    """SMS through an HTTP gateway: a URL, a method, headers and a body, each
    a template with {to} (E.164, +919876543210), {to_digits}
    (919876543210), {body} and {secret}; body_format says how values are
    escaped in the body (form, json, raw); values in the URL are always
    percent-encoded.  A 2xx answer is success unless success_field (a JSON
    key, dotted for nesting) differs from success_value.  A refusal is
    permanent when reason_field's text (or the whole answer) matches the
    permanent_reasons pattern (case-insensitive), and the status is not
    408, 429 or 5xx."""

    def __init__(self, section):
        self.url = required(section, "url")
        self.method = section.get("method", "POST").upper()
        self.headers = []
        for line in section.get("headers", "").splitlines():
            if line.strip():
                name, sep, value = line.partition(":")
                if not sep:
                    raise ConfigError("[%s] headers: %r is not 'Name: value'" % (section.name, line))
                self.headers.append((name.strip(), value.strip()))
        self.body = section.get("body", "")
        self.body_format = section.get("body_format", "form")
        if self.body_format not in ESCAPES:
            raise ConfigError("[%s] body_format is form, json or raw" % section.name)
        self.secret = read_secret(section, "secret") or ""
        self.success_field = section.get("success_field")
        self.success_value = section.get("success_value", "")
        self.reason_field = section.get("reason_field")
        try:
            self.permanent = re.compile(section.get("permanent_reasons") or r"(?!)", re.I)
        except re.error as e:
            raise ConfigError("[%s] permanent_reasons: %s" % (section.name, e)) from e
        self.timeout = section.getfloat("timeout", 20.0)

    def send(self, m):
        values = {"to": m.recipient, "to_digits": m.recipient.lstrip("+"),
                  "body": m.body, "secret": self.secret}
        url = fill(self.url, values, lambda v: urllib.parse.quote(v, safe=""))
        data = fill(self.body, values, ESCAPES[self.body_format]).encode() if self.body else None
        headers = {name: fill(value, values, header_value) for name, value in self.headers}
        status, text = http_call("sms gateway", self.method, url, data, headers, self.timeout)
        answer = json_or_none(text)
        if 200 <= status < 300 and (self.success_field is None
                                    or str(dig(answer, self.success_field)) == self.success_value):
            return
        said = dig(answer, self.reason_field) if self.reason_field else None
        reason = " ".join(str(said if said is not None else text).split()) or "(empty answer)"
        raise http_failure("sms gateway", status, reason[:1000], bool(self.permanent.search(reason)))


# The Cloud API's error codes (error.code) that refuse the message or its
# recipient for good; any other refusal, 429 and 5xx are transient.
WHATSAPP_PERMANENT = {
    100,        # invalid parameter
    131008,     # a required parameter is missing
    131009,     # a parameter's value is not valid
    131021,     # the recipient is the sender
    131026,     # undeliverable: not on WhatsApp, old app, terms not accepted
    131030,     # the recipient is not in the test number's allowed list
    131047,     # more than 24 hours since the customer wrote: a text is refused (a template is needed)
    131050,     # the customer stopped marketing messages
    131051,     # unsupported message type
    132000,     # a template's parameter count does not match
    132001,     # the template does not exist (in that language)
    132005,     # a template's text is too long once filled in
    132007,     # a template breaks the format policy
    132012,     # a template's parameter has the wrong format
    132015,     # the template is paused
    132016,     # the template is disabled
}


def whatsapp_payload(m):
    """The Cloud API's request body for a message: the template message
    when render_message gave a template (WhatsApp outside its 24-hour
    customer service window takes nothing else), a text message
    otherwise."""
    if m.template_name:
        return {"messaging_product": "whatsapp", "to": m.recipient, "type": "template",
                "template": {"name": m.template_name, "language": {"code": m.language or "en"},
                             "components": [{"type": "body", "parameters": [
                                 {"type": "text", "text": p} for p in (m.parameters or [])]}]}}
    return {"messaging_product": "whatsapp", "to": m.recipient,
            "type": "text", "text": {"body": m.body}}


class WhatsAppCloudTransport:
    """WhatsApp through Meta's Cloud API: POST {base_url}/{phone_number_id}/messages
    with a Bearer token; refusals read from the answer's error.code."""

    def __init__(self, section):
        base = section.get("base_url", "https://graph.facebook.com/v21.0").rstrip("/")
        self.url = "%s/%s/messages" % (base, urllib.parse.quote(required(section, "phone_number_id"), safe=""))
        self.token = read_secret(section, "token")
        if not self.token:
            raise ConfigError("[%s] needs token or token_file" % section.name)
        self.timeout = section.getfloat("timeout", 20.0)

    def send(self, m):
        data = json.dumps(whatsapp_payload(m), ensure_ascii=False).encode()
        headers = {"Authorization": "Bearer " + self.token, "Content-Type": "application/json"}
        status, text = http_call("whatsapp", "POST", self.url, data, headers, self.timeout)
        if 200 <= status < 300:
            return
        error = dig(json_or_none(text), "error")
        if not isinstance(error, dict):
            raise http_failure("whatsapp", status, " ".join(text.split())[:1000] or "(empty answer)", False)
        code = error.get("code")
        reason = "code %s: %s" % (code, error.get("message", ""))
        details = dig(error, "error_data.details")
        if details:
            reason += " (%s)" % details
        raise http_failure("whatsapp", status, reason[:1000], code in WHATSAPP_PERMANENT)


KINDS = {"log": None, "smtp": SmtpTransport, "http": HttpGatewayTransport,
         "whatsapp_cloud": WhatsAppCloudTransport}


def from_config(config, default_log):
    """channel -> transport, from the [channels] section of a parsed
    configuration: each channel names a section, whose transport key says
    which kind it is.  Channels may share a section (agent's texts go out
    as SMS); a channel left out has no transport (its jobs fail, to be
    retried once it has one)."""
    if not config.has_section("channels"):
        raise ConfigError("no [channels] section")
    built = {}
    out = {}
    for channel, name in config.items("channels"):
        if channel not in CHANNELS:
            raise ConfigError("[channels] %s: the channels are %s" % (channel, ", ".join(CHANNELS)))
        if name not in built:
            if not config.has_section(name):
                raise ConfigError("[channels] %s = %s: no section [%s]" % (channel, name, name))
            section = config[name]
            kind = section.get("transport")
            if kind not in KINDS:
                raise ConfigError("[%s] transport is one of %s" % (name, ", ".join(KINDS)))
            built[name] = LogTransport(section.get("path", default_log)) if kind == "log" else KINDS[kind](section)
        out[channel] = built[name]
    return out


def read_config(path):
    """The parsed INI file (no % interpolation: passwords and JSON bodies
    are taken as written)."""
    config = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8") as f:
            config.read_file(f)
    except (OSError, configparser.Error) as e:
        raise ConfigError(str(e)) from e
    return config
