"""A model of PostgREST 12.2 (v12.2.0-v12.2.12) at the database: the SQL it
sends for an HTTP request, and the HTTP status and body it answers with.

Nothing here is sched's: it is PostgREST's behaviour, transcribed from its
source (src/PostgREST/Query.hs, Query/SqlFragment.hs, Query/Statements.hs,
Query/QueryBuilder.hs, Plan.hs, ApiRequest/QueryParams.hs, Error.hs,
SchemaCache.hs, Config/Database.hs at tag v12.2.12) and from hasql 1.6 /
hasql-transaction 1.0.1, which shape the wire traffic:

- one pooled connection as the authenticator, initialised with
  "SET client_encoding = 'UTF8';SET client_min_messages TO WARNING;";
- per request: BEGIN ISOLATION LEVEL <lvl> READ ONLY|READ WRITE, one
  "select set_config(...), ..." (search_path, the role's settings, role,
  request.jwt.claims, request.method, request.path, request.headers,
  request.cookies), the main statement, COMMIT (ABORT on error); every
  statement prepared (hasql names "0", "1", ... keyed by SQL and parameter
  types), prelude and filter parameters typed unknown (705) in text, the
  RPC body one json (114) parameter sent as is;
- a 40001 from any statement or COMMIT aborts and replays the whole
  transaction, without limit (hasql-transaction's retry; gone in v16);
- functions are found by the set of argument names (the schema cache),
  GET /rpc arguments are the query parameters that do not parse as
  operator expressions; the others filter the result;
- SQLSTATEs become HTTP statuses with Error.hs's table.

libpq is used directly (ctypes) so that the statements, their parameter
types and formats are exactly hasql's; no Python package is needed.
"""
import base64
import ctypes
import ctypes.util
import hashlib
import hmac
import json
import re
import urllib.parse

VERSION = "12.2.12"

# --------------------------------------------------------------------------
# libpq
# --------------------------------------------------------------------------
_pq = ctypes.CDLL(ctypes.util.find_library("pq") or "libpq.so.5")
_vp, _cp, _int = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
for _name, _res, _args in [
    ("PQconnectdb", _vp, [_cp]),
    ("PQstatus", _int, [_vp]),
    ("PQerrorMessage", _cp, [_vp]),
    ("PQfinish", None, [_vp]),
    ("PQexec", _vp, [_vp, _cp]),
    ("PQprepare", _vp, [_vp, _cp, _cp, _int, ctypes.POINTER(ctypes.c_uint)]),
    ("PQexecPrepared", _vp, [_vp, _cp, _int, ctypes.POINTER(_cp),
                             ctypes.POINTER(_int), ctypes.POINTER(_int), _int]),
    ("PQresultStatus", _int, [_vp]),
    ("PQresultErrorField", _cp, [_vp, _int]),
    ("PQntuples", _int, [_vp]),
    ("PQnfields", _int, [_vp]),
    ("PQfname", _cp, [_vp, _int]),
    ("PQgetvalue", _cp, [_vp, _int, _int]),
    ("PQgetisnull", _int, [_vp, _int, _int]),
    ("PQclear", None, [_vp]),
]:
    _f = getattr(_pq, _name)
    _f.restype, _f.argtypes = _res, _args

UNKNOWN, JSON_OID = 705, 114        # hasql: unknown in text format, json in binary (= the raw text)
PGRES_COMMAND_OK, PGRES_TUPLES_OK = 1, 2


class DbError(Exception):
    """An error PostgreSQL returned: the fields PostgREST puts in its body."""

    def __init__(self, code, message, details=None, hint=None, constraint=None):
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.details, self.hint = code, message, details, hint
        self.constraint = constraint

    def body(self):
        return {"code": self.code, "details": self.details, "hint": self.hint, "message": self.message}


class Conn:
    """One libpq connection that prepares statements as hasql does."""

    def __init__(self, conninfo):
        self.c = _pq.PQconnectdb(conninfo.encode())
        if _pq.PQstatus(self.c) != 0:
            raise RuntimeError("connection failed: " + _pq.PQerrorMessage(self.c).decode())
        self.registry = {}
        self.log = None          # a list to append (sql, params) to, when tracing
        # hasql's IO.initConnection
        self.simple("SET client_encoding = 'UTF8';SET client_min_messages TO WARNING;")

    def close(self):
        _pq.PQfinish(self.c)

    @staticmethod
    def _error(r):
        def field(c):
            v = _pq.PQresultErrorField(r, ord(c))
            return v.decode() if v is not None else None
        return DbError(field("C"), field("M"), field("D"), field("H"), field("n"))

    def _result(self, r):
        st = _pq.PQresultStatus(r)
        if st not in (PGRES_COMMAND_OK, PGRES_TUPLES_OK):
            if r is None:
                raise DbError("08000", _pq.PQerrorMessage(self.c).decode())
            err = self._error(r)
            _pq.PQclear(r)
            raise err
        rows = []
        nf = _pq.PQnfields(r)
        names = [_pq.PQfname(r, j).decode() for j in range(nf)]
        for i in range(_pq.PQntuples(r)):
            rows.append({names[j]: (None if _pq.PQgetisnull(r, i, j) else _pq.PQgetvalue(r, i, j).decode())
                         for j in range(nf)})
        _pq.PQclear(r)
        return rows

    def simple(self, sql):
        """A simple-protocol query (hasql's connection set-up; also the harness's own)."""
        return self._result(_pq.PQexec(self.c, sql.encode()))

    def stmt(self, sql, params=()):
        """A prepared statement, as hasql sends it.  params: (oid, text or None) pairs."""
        if self.log is not None:
            self.log.append((sql, params))
        oids = tuple(o for o, _ in params)
        key = (sql, oids)
        if key not in self.registry:
            name = str(len(self.registry)).encode()
            arr = (ctypes.c_uint * len(oids))(*oids) if oids else None
            r = _pq.PQprepare(self.c, name, sql.encode(), len(oids), arr)
            self._result(r)
            self.registry[key] = name
        n = len(params)
        raw = [None if v is None else v.encode() for _, v in params]
        vals = (_cp * n)(*raw)
        lens = (_int * n)(*[len(v) if v is not None else 0 for v in raw])
        fmts = (_int * n)(*[0 if o == UNKNOWN else 1 for o, _ in params])
        # hasql asks for binary results; text ones read the same here
        return self._result(_pq.PQexecPrepared(self.c, self.registry[key], n, vals, lens, fmts, 0))


# --------------------------------------------------------------------------
# JWT (HS256), as PostgREST verifies it
# --------------------------------------------------------------------------
def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_jwt(claims, secret):
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(sig)}"


def verify_jwt(token, secret):
    """The claims of a valid token, else None (PGRST301)."""
    try:
        head, body, sig = token.split(".")
        want = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(want, _unb64(sig)):
            return None
        return json.loads(_unb64(body))
    except (ValueError, json.JSONDecodeError):
        return None


# --------------------------------------------------------------------------
# SQLSTATE -> HTTP status (src/PostgREST/Error.hs, v12.2.12, top to bottom)
# --------------------------------------------------------------------------
def http_status(code, message, authenticated):
    c = code
    if c.startswith("08"): return 503
    if c.startswith("09"): return 500
    if c.startswith("0L"): return 403
    if c.startswith("0P"): return 403
    if c == "23503": return 409
    if c == "23505": return 409
    if c == "25006": return 405
    if c == "21000": return 400 if message.endswith("requires a WHERE clause") else 500
    if c.startswith("25"): return 500
    if c.startswith("28"): return 403
    if c.startswith("2D"): return 500
    if c[:2] in ("38", "39", "3B"): return 500
    if c.startswith("40"): return 500
    if c == "53400": return 500
    if c.startswith("53"): return 503
    if c.startswith("54"): return 500
    if c.startswith("55"): return 500
    if c == "57P01": return 503
    if c[:2] in ("57", "58", "F0", "HV"): return 500
    if c == "P0001": return 400
    if c.startswith("P0"): return 500
    if c.startswith("XX"): return 500
    if c == "42883": return 406 if message.startswith("function xmlagg(") else 404
    if c == "42P01": return 404
    if c == "42P17": return 500
    if c == "42501": return 403 if authenticated else 401
    if c.startswith("PT"):
        return int(c[2:]) if c[2:].isdigit() else 500
    return 400


# --------------------------------------------------------------------------
# Catalog queries PostgREST runs as the authenticator at start and on reload
# --------------------------------------------------------------------------
# Config/Database.hs queryRoleSettings (PostgreSQL 15 and later)
ROLE_SETTINGS_SQL = """
with
role_setting as (
  select r.rolname, unnest(r.rolconfig) as setting
  from pg_auth_members m
  join pg_roles r on r.oid = m.roleid
  where member = current_user::regrole::oid
),
kv_settings AS (
  SELECT
    rolname,
    substr(setting, 1, strpos(setting, '=') - 1) as key,
    lower(substr(setting, strpos(setting, '=') + 1)) as value
  FROM role_setting
),
iso_setting AS (
  SELECT rolname, value
  FROM kv_settings
  WHERE key = 'default_transaction_isolation'
)
select
  kv.rolname,
  i.value as iso_lvl,
  coalesce(array_to_json(array_agg(json_build_array(kv.key, kv.value)) filter (where key <> 'default_transaction_isolation')), '[]') as role_settings
from kv_settings kv
join pg_settings ps on ps.name = kv.key and (ps.context = 'user' or has_parameter_privilege(current_user::regrole::oid, ps.name, 'set'))
left join iso_setting i on i.rolname = kv.rolname
group by kv.rolname, i.value
"""

# SchemaCache.hs funcsSqlQuery + " AND pn.nspname = ANY($1)"; arrays as JSON
# for this client, otherwise the same columns
FUNCS_SQL = """
  WITH
  base_types AS (
    WITH RECURSIVE
    recurse AS (
      SELECT oid, typbasetype, COALESCE(NULLIF(typbasetype, 0), oid) AS base
      FROM pg_type
      UNION
      SELECT t.oid, b.typbasetype, COALESCE(NULLIF(b.typbasetype, 0), b.oid) AS base
      FROM recurse t
      JOIN pg_type b ON t.typbasetype = b.oid
    )
    SELECT oid, base FROM recurse WHERE typbasetype = 0
  ),
  arguments AS (
    SELECT
      oid,
      array_to_json(array_agg(json_build_array(
        COALESCE(name, ''),
        CASE type
          WHEN 'bit'::regtype THEN 'bit varying'
          WHEN 'bit[]'::regtype THEN 'bit varying[]'
          WHEN 'character'::regtype THEN 'character varying'
          WHEN 'character[]'::regtype THEN 'character varying[]'
          ELSE type::regtype::text
        END,
        idx <= (pronargs - pronargdefaults),
        COALESCE(mode = 'v', FALSE)
      ) ORDER BY idx)) AS args,
      CASE COUNT(*) - COUNT(name)
        WHEN 0 THEN true
        WHEN 1 THEN (array_agg(type))[1] IN ('bytea'::regtype, 'json'::regtype, 'jsonb'::regtype, 'text'::regtype, 'xml'::regtype)
        ELSE false
      END AS callable
    FROM pg_proc,
         unnest(proargnames, proargtypes, proargmodes)
           WITH ORDINALITY AS _ (name, type, mode, idx)
    WHERE type IS NOT NULL
    GROUP BY oid
  )
  SELECT
    pn.nspname AS proc_schema,
    p.proname AS proc_name,
    COALESCE(a.args, '[]') AS args,
    tn.nspname AS schema,
    COALESCE(comp.relname, t.typname) AS name,
    p.proretset AS rettype_is_setof,
    (t.typtype = 'c' or COALESCE(proargmodes::text[] && '{t,b,o}', false)) AS rettype_is_composite,
    p.provolatile,
    p.provariadic > 0 as hasvariadic,
    lower((regexp_split_to_array((regexp_split_to_array(iso_config, '='))[2], ','))[1]) AS transaction_isolation_level,
    coalesce(func_settings.kvs, '[]') as kvs,
    p.prorettype = 'void'::regtype AS returns_void
  FROM pg_proc p
  LEFT JOIN arguments a ON a.oid = p.oid
  JOIN pg_namespace pn ON pn.oid = p.pronamespace
  JOIN base_types bt ON bt.oid = p.prorettype
  JOIN pg_type t ON t.oid = bt.base
  JOIN pg_namespace tn ON tn.oid = t.typnamespace
  LEFT JOIN pg_class comp ON comp.oid = t.typrelid
  LEFT JOIN LATERAL unnest(proconfig) iso_config ON iso_config like 'default_transaction_isolation%'
  LEFT JOIN LATERAL (
    SELECT array_to_json(array_agg(json_build_array(
        substr(setting, 1, strpos(setting, '=') - 1),
        substr(setting, strpos(setting, '=') + 1)))) as kvs
    FROM unnest(proconfig) setting
    WHERE setting ~ ANY($2::text[])
  ) func_settings ON TRUE
  WHERE t.oid <> 'trigger'::regtype AND COALESCE(a.callable, true)
  AND prokind = 'f' AND pn.nspname = ANY($1::text[])
"""

# db-hoisted-tx-settings default
HOISTED = ["statement_timeout", "plan_filter.statement_cost_limit", "default_transaction_isolation"]

ISO = {"read committed": "READ COMMITTED", "repeatable read": "REPEATABLE READ",
       "serializable": "SERIALIZABLE"}


class Routine:
    def __init__(self, row):
        self.schema = row["proc_schema"]
        self.name = row["proc_name"]
        # (name, type, required, variadic)
        self.params = [tuple(p) for p in json.loads(row["args"])]
        self.setof = row["rettype_is_setof"] == "t"
        self.composite = row["rettype_is_composite"] == "t"
        self.rettype_name = row["name"]
        self.volatility = row["provolatile"]          # i, s, v
        self.iso = row["transaction_isolation_level"]
        self.settings = [tuple(kv) for kv in json.loads(row["kvs"])]
        self.returns_void = row["returns_void"] == "t"

    @property
    def table_name(self):
        """Routine.funcTableName: the relation a composite return is read as."""
        return self.rettype_name if self.composite else None


# --------------------------------------------------------------------------
# Query string: filters, order, limit (ApiRequest/QueryParams.hs)
# --------------------------------------------------------------------------
OPERATORS = {"eq": "=", "gte": ">=", "gt": ">", "lte": "<=", "lt": "<", "neq": "<>",
             "like": "LIKE", "ilike": "ILIKE", "match": "~", "imatch": "~*",
             "cs": "@>", "cd": "<@", "ov": "&&", "sl": "<<", "sr": ">>",
             "nxr": "&<", "nxl": "&>", "adj": "-|-", "isdistinct": "IS DISTINCT FROM"}
FTS = ("fts", "plfts", "phfts", "wfts")
OP_RE = re.compile(r"^(not\.)?(?:(" + "|".join(OPERATORS) + r")(?:\((any|all)\))?\.(.*)"
                   r"|(in)\.\((.*)\)"
                   r"|(is)\.(null|not_null|true|false|unknown)"
                   r"|(" + "|".join(FTS) + r")(?:\(([a-z_]+)\))?\.(.*))$", re.S)
RESERVED = {"select", "columns", "on_conflict"}
RESERVED_EMBEDDABLE = {"order", "limit", "offset", "and", "or"}


def parse_op(value):
    """The operator expression of a filter value, or None if it is not one."""
    m = OP_RE.match(value)
    if not m:
        return None
    neg = bool(m.group(1))
    if m.group(2):
        return (neg, m.group(2), m.group(3), m.group(4))
    if m.group(5):
        return (neg, "in", None, m.group(6))
    if m.group(7):
        return (neg, "is", None, m.group(8))
    return (neg, m.group(9), m.group(10), m.group(11))


class ApiError(Exception):
    """An error PostgREST answers itself, without a statement (PGRSTxxx)."""

    def __init__(self, status, code, message, details=None, hint=None):
        super().__init__(message)
        self.status, self.code, self.message, self.details, self.hint = status, code, message, details, hint

    def body(self):
        return {"code": self.code, "details": self.details, "hint": self.hint, "message": self.message}


def ident(name):
    return '"' + name.replace('"', '""') + '"'


class Response:
    def __init__(self, status, body, retries=0, statements=None, error=None):
        self.status, self.body, self.retries = status, body, retries
        self.statements = statements or []
        self.error = error          # the DbError or ApiError, if any

    @property
    def code(self):
        return self.body.get("code") if isinstance(self.body, dict) else None


class PostgREST:
    """One PostgREST 12.2 instance: its config, schema cache and one pooled connection."""

    def __init__(self, conninfo, schemas=("sched",), anon_role="web_anon", jwt_secret="",
                 extra_search_path=("public",), role_claim_key=".role"):
        self.schemas = list(schemas)
        self.anon_role = anon_role
        self.secret = jwt_secret
        self.extra_search_path = list(extra_search_path)
        self.role_claim_key = role_claim_key
        self.conninfo = conninfo + f" fallback_application_name='PostgREST {VERSION}'"
        self.conn = Conn(self.conninfo)
        self.load_config(self.conn)
        self.load_schema_cache()
        self.before_main = None     # a test hook: called between the prelude and the main statement

    # -- start and reload ---------------------------------------------------
    def load_config(self, conn):
        """queryRoleSettings (db-config = true), as the authenticator."""
        self.role_settings, self.role_iso = {}, {}
        conn.stmt("BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY")
        try:
            for r in conn.stmt(ROLE_SETTINGS_SQL):
                self.role_settings[r["rolname"]] = [tuple(kv) for kv in json.loads(r["role_settings"])]
                if r["iso_lvl"]:
                    self.role_iso[r["rolname"]] = ISO[r["iso_lvl"]]
        finally:
            conn.stmt("COMMIT")

    def reload_config(self):
        """NOTIFY pgrst, 'reload config': the same query, on a pooled connection."""
        self.load_config(self.conn)

    def load_schema_cache(self):
        """querySchemaCache's functions (the rest is not needed for sched's calls and views)."""
        c = self.conn
        c.stmt("BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY")
        try:
            c.simple("set local schema ''")
            rows = c.stmt(FUNCS_SQL, [(UNKNOWN, "{" + ",".join(self.schemas) + "}"),
                                      (UNKNOWN, "{" + ",".join(HOISTED) + "}")])
        finally:
            c.stmt("COMMIT")
        self.routines = {}
        for r in rows:
            rt = Routine(r)
            self.routines.setdefault((rt.schema, rt.name), []).append(rt)
        for v in self.routines.values():
            v.sort(key=lambda rt: len(rt.params))

    # -- a request ----------------------------------------------------------
    def request(self, method, path, query=(), body=None, token=None, headers=None):
        """One HTTP request.  query: (name, value) pairs, decoded; body: the raw text."""
        try:
            return self._request(method, path, list(query), body, token, headers or {})
        except ApiError as e:
            return Response(e.status, e.body(), error=e)

    def _auth(self, token):
        if token is None:
            claims = {}
        else:
            claims = verify_jwt(token, self.secret)
            if claims is None:
                raise ApiError(401, "PGRST301", "JWT invalid")
        role = claims
        for key in self.role_claim_key.lstrip(".").split("."):
            role = role.get(key) if isinstance(role, dict) else None
        role = role if isinstance(role, str) and role else self.anon_role
        claims = dict(claims)
        claims["role"] = role
        return role, claims

    def _request(self, method, path, query, body, token, extra_headers):
        role, claims = self._auth(token)
        authenticated = role != self.anon_role
        schema = self.schemas[0]
        hdrs = {"host": "localhost:3000", "user-agent": "curl/7.88.1", "accept": "*/*"}
        if token is not None:
            hdrs["authorization"] = "Bearer " + token
        if body is not None:
            hdrs["content-type"] = "application/json"
            hdrs["content-length"] = str(len(body.encode()))
        hdrs.update({k.lower(): v for k, v in extra_headers.items()})

        if path.startswith("/rpc/"):
            plan = self._plan_rpc(method, schema, path[len("/rpc/"):], query, body)
        else:
            if method not in ("GET", "HEAD"):
                raise ApiError(405, "PGRST000", "only GET is modelled for relations")
            plan = self._plan_read(schema, path.lstrip("/"), query)

        iso = plan.get("iso") or self.role_iso.get(role, "READ COMMITTED")
        prelude = ["set_config('search_path', $1, true)"]
        params = [(UNKNOWN, ", ".join(ident(s) for s in [schema] + self.extra_search_path))]
        for k, v in self.role_settings.get(role, []):
            n = len(params)
            prelude.append(f"set_config(${n + 1}, ${n + 2}, true)")
            params += [(UNKNOWN, k), (UNKNOWN, v)]
        for name, value in [("role", role),
                            ("request.jwt.claims", json.dumps(claims, separators=(",", ":"), sort_keys=True, ensure_ascii=False)),
                            ("request.method", method),
                            ("request.path", path),
                            ("request.headers", json.dumps(hdrs, separators=(",", ":"), ensure_ascii=False)),
                            ("request.cookies", "{}")]:
            params.append((UNKNOWN, value))
            prelude.append(f"set_config('{name}', ${len(params)}, true)")
        for k, v in plan.get("func_settings", []):
            n = len(params)
            prelude.append(f"set_config(${n + 1}, ${n + 2}, true)")
            params += [(UNKNOWN, k), (UNKNOWN, v)]
        prelude_sql = "select " + ", ".join(prelude)

        c = self.conn
        retries = 0
        while True:
            c.log = []
            try:
                c.stmt(f"BEGIN ISOLATION LEVEL {iso} {plan['mode']}")
                try:
                    c.stmt(prelude_sql, params)
                    if self.before_main:
                        self.before_main(retries)
                    rows = c.stmt(plan["sql"], plan["params"])
                except DbError:
                    c.stmt("ABORT")
                    raise
                c.stmt("COMMIT")
            except DbError as e:
                if e.code == "40001":           # hasql-transaction: abort and replay, no limit
                    retries += 1
                    continue
                return Response(http_status(e.code, e.message, authenticated), e.body(),
                                retries, c.log, e)
            break
        row = rows[0]
        if row["response_status"]:
            status = int(row["response_status"])
        elif plan.get("void"):
            return Response(204, None, retries, c.log)
        else:
            status = 200
        return Response(status, json.loads(row["body"]), retries, c.log)

    # -- RPC ----------------------------------------------------------------
    def _plan_rpc(self, method, schema, fname, query, body):
        filters, args = [], {}
        for k, v in query:
            if k in RESERVED or k in RESERVED_EMBEDDABLE:
                filters.append((k, v))
                continue
            op = parse_op(v)
            if op is not None:
                filters.append((k, v))
            elif method in ("GET", "HEAD"):
                args[k] = v
            else:
                raise ApiError(400, "PGRST100", f'"failed to parse filter ({v})" (line 1, column 1)')
        if method in ("GET", "HEAD"):
            payload = json.dumps(args, separators=(",", ":"), ensure_ascii=False)
            keys = set(args)
            is_object = True
        elif method == "POST":
            raw = body if body is not None else ""
            if raw.strip() == "":
                payload, keys, is_object = None, set(), True
            else:
                try:
                    doc = json.loads(raw)
                except json.JSONDecodeError as e:
                    raise ApiError(400, "PGRST102", "Empty or invalid json", str(e))
                first = doc[0] if isinstance(doc, list) and doc else doc
                keys = set(first) if isinstance(first, dict) else set()
                payload, is_object = raw, raw.lstrip(" \t\r\n").startswith("{")
        else:
            raise ApiError(405, "PGRST117", f"Unsupported HTTP method: {method}")

        proc = self._find_proc(schema, fname, keys)
        read = method in ("GET", "HEAD")
        mode = "READ ONLY" if read or proc.volatility in ("s", "i") else "READ WRITE"
        given = [p for p in proc.params if p[0] in keys]

        scalar = not proc.composite
        qf = ident(proc.schema) + "." + ident(proc.name)

        def call_it(arg):
            if scalar:
                return f"(SELECT {qf}({arg}) pgrst_scalar) pgrst_call"
            return f"{qf}({arg}) pgrst_call"

        params = []
        if not given:
            from_call = "FROM " + call_it("")
        else:
            params.append((JSON_OID, payload))
            cols = ", ".join(ident(p[0]) for p in given)
            typed = ", ".join(f"{ident(p[0])} {p[1]}" for p in given)
            fn = "json_to_record" if is_object else "json_to_recordset"
            from_call = ("FROM (SELECT $1 AS json_data) pgrst_payload, "
                         f"LATERAL (SELECT {cols} FROM {fn}(pgrst_payload.json_data) AS _({typed}) LIMIT 1) pgrst_body "
                         ", LATERAL " + call_it(", ".join(
                             ("VARIADIC " if p[3] else "") + f"{ident(p[0])} := pgrst_body.{ident(p[0])}" for p in given)))
        call_q = "SELECT " + ("pgrst_call.pgrst_scalar" if scalar else '"pgrst_call".*') + " " + from_call

        alias = proc.table_name or proc.name
        read_q = self._read_query(f'{ident(alias)}.*', f'FROM "pgrst_source" AS {ident(alias)}',
                                  ident(alias), filters, params)
        single = not proc.setof
        if single and not scalar:
            body_f = "coalesce(json_agg(_postgrest_t)->0, 'null')"
        elif single:
            body_f = "coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null')"
        elif scalar:
            body_f = "coalesce(json_agg(_postgrest_t.pgrst_scalar), '[]')"
        else:
            body_f = "coalesce(json_agg(_postgrest_t), '[]')"
        sql = ("WITH pgrst_source AS (" + call_q + ") "
               "SELECT null::bigint AS total_result_set, "
               + ("1" if single else "pg_catalog.count(_postgrest_t)") + " AS page_total, "
               + body_f + " AS body, "
               "nullif(current_setting('response.headers', true), '') AS response_headers, "
               "nullif(current_setting('response.status', true), '') AS response_status, "
               "'' AS response_inserted "
               "FROM (" + read_q + ") _postgrest_t")
        return {"sql": sql, "params": params, "mode": mode,
                "iso": ISO.get(proc.iso) if proc.iso else None,
                "func_settings": proc.settings, "void": proc.returns_void}

    def _find_proc(self, schema, fname, keys):
        """Plan.findProc: by the set of argument names only (no types)."""
        procs = self.routines.get((schema, fname), [])

        def matches(p):
            if not p.params:
                return not keys
            req = {x[0] for x in p.params if x[2]}
            opt = {x[0] for x in p.params if not x[2]}
            if not opt:
                return keys == req
            if not req:
                return keys <= opt
            return (keys - opt) == req

        found = [p for p in procs if matches(p)]
        if len(found) == 1:
            return found[0]
        if not found:
            args = ", ".join(sorted(keys))
            raise ApiError(404, "PGRST202",
                           f"Could not find the function {schema}.{fname}({args}) in the schema cache",
                           f"Searched for the function {schema}.{fname} with parameters {args} or with a single "
                           "unnamed json/jsonb parameter, but no matches were found in the schema cache.")
        raise ApiError(300, "PGRST203", f"Could not choose the best candidate function between: {schema}.{fname}")

    # -- reading a relation --------------------------------------------------
    def _plan_read(self, schema, rel, query):
        qi = ident(schema) + "." + ident(rel)
        params = []
        filters = [(k, v) for k, v in query]
        for k, v in filters:
            if k not in RESERVED and k not in RESERVED_EMBEDDABLE and parse_op(v) is None:
                raise ApiError(400, "PGRST100", f'"failed to parse filter ({v})" (line 1, column 1)')
        read_q = self._read_query(qi + ".*", "FROM " + qi, qi, filters, params)
        sql = ("WITH pgrst_source AS ( " + read_q + " ) " + "" + " "
               "SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, "
               "coalesce(json_agg(_postgrest_t), '[]') AS body, "
               "nullif(current_setting('response.headers', true), '') AS response_headers, "
               "nullif(current_setting('response.status', true), '') AS response_status, "
               "'' AS response_inserted "
               "FROM ( SELECT * FROM pgrst_source ) _postgrest_t")
        return {"sql": sql, "params": params, "mode": "READ ONLY"}

    def _read_query(self, selects, from_frag, qual, query, params):
        """QueryBuilder.readPlanToQuery: SELECT, FROM, joins, WHERE, group, ORDER BY, LIMIT."""
        where, order, limit, offset = [], "", None, None
        for k, v in query:
            if k == "select":
                if v != "*":
                    raise ApiError(400, "PGRST100", "only select=* is modelled")
                continue
            if k == "order":
                terms = []
                for t in v.split(","):
                    parts = t.split(".")
                    d = {"asc": "ASC", "desc": "DESC"}.get(parts[1] if len(parts) > 1 else "", "")
                    nl = {"nullsfirst": "NULLS FIRST", "nullslast": "NULLS LAST"}.get(parts[-1] if len(parts) > 1 else "", "")
                    terms.append(f"{qual}.{ident(parts[0])} " + " ".join([d, nl]))
                order = "ORDER BY " + ", ".join(terms)
                continue
            if k == "limit":
                limit = v
                continue
            if k == "offset":
                offset = v
                continue
            if k in RESERVED or k in RESERVED_EMBEDDABLE:
                raise ApiError(400, "PGRST100", f"{k} is not modelled")
            neg, op, quant, val = parse_op(v)
            field = f"{qual}.{ident(k)}"
            if op == "is":
                rhs = {"null": "NULL", "not_null": "NOT NULL", "true": "TRUE", "false": "FALSE",
                       "unknown": "UNKNOWN"}[val]
                frag = f"{field} IS {rhs}"
            elif op == "in":
                items = [x.strip('"') for x in val.split(",")] if val else []
                params.append((UNKNOWN, "{" + ",".join('"' + x.replace('"', '\\"') + '"' for x in items) + "}"))
                frag = f"{field} = ANY (${len(params)})"
            elif op in FTS:
                raise ApiError(400, "PGRST100", "full-text filters are not modelled")
            else:
                if op in ("like", "ilike"):
                    val = val.replace("*", "%")
                params.append((UNKNOWN, val))
                if quant:
                    frag = f"{field} {OPERATORS[op]} {quant.upper()}(${len(params)})"
                else:
                    frag = f"{field} {OPERATORS[op]} ${len(params)}"
            where.append(("NOT" if neg else "") + " " + frag)
        lim = ""
        if limit is not None or offset is not None:
            if limit is not None:
                params.append((UNKNOWN, str(int(limit))))
                lstr = f"${len(params)}"
            else:
                lstr = "ALL"
            params.append((UNKNOWN, str(int(offset or 0))))
            lim = f"LIMIT {lstr} OFFSET ${len(params)}"
        return ("SELECT " + selects + " " + from_frag + " " + "" + " "
                + ("WHERE " + " AND ".join(where) if where else "") + " " + "" + " "
                + order + " " + lim)


# The settings of a config file this model follows; others it refuses.
MODELLED = {"db-uri", "db-schemas", "db-extra-search-path", "db-anon-role", "jwt-secret",
            "jwt-secret-is-base64", "jwt-role-claim-key", "db-config", "db-prepared-statements",
            "db-pool", "server-port", "openapi-mode"}


def read_config(path):
    """A PostgREST config file (key = "value" lines) as a dict; checks that this model covers it."""
    conf = {}
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        key, _, value = (x.strip() for x in line.partition("="))
        value = value.strip('"') if value.startswith('"') else value
        if key not in MODELLED:
            raise ValueError(f"{path}: {key} is not modelled by test/postgrest")
        conf[key] = value
    if conf.get("db-prepared-statements", "true") != "true" or conf.get("db-config", "true") != "true" \
            or conf.get("jwt-secret-is-base64", "false") != "false":
        raise ValueError(f"{path}: only db-prepared-statements, db-config = true and a plain jwt-secret are modelled")
    return conf


def split_query(qs):
    """A URL query string as (name, value) pairs, percent-decoded, in order."""
    return urllib.parse.parse_qsl(qs, keep_blank_values=True)
