// The checks of test/postgraphile/run.sh: sched behind PostGraphile v4 with
// the options and smart tags of docs/clients/ (postgraphile.js,
// postgraphile.tags.json5), over HTTP, as the roles of setup.sql.
//
// Node's built-ins and PostGraphile only (jsonwebtoken comes with it and is
// pinned beside it).  Whose rows are whose is read as the superuser with
// psql, never assumed.  Dates count from the business's today (the date in
// sched.timezone), two days on and more, so the hour does not matter.
'use strict';

const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { execFileSync, spawn } = require('child_process');

const { PGHOST, PGPORT = '5432', PGUSER = 'postgres', SCHED_PGRAPHILE_DB: DB } = process.env;
if (!PGHOST || !DB) {
  console.error('test.js: run it through test/cluster.sh test/postgraphile/run.sh');
  process.exit(2);
}

// PostGraphile's warnings are collected and shown at the end; a smart tag
// that matches nothing fails.  PostGraphile logs the stack of every error
// it answers with HTTP 500 on console.error: kept, and shown as one line.
const warnings = [];
const logged = [];
const { warn, error } = console;
console.warn = (...args) => warnings.push(args.map(String).join(' '));
console.error = (...args) => logged.push(args.map(String).join(' ').split('\n')[0]);

const jwt = require('jsonwebtoken');
const { postgraphile, createPostGraphileSchema } = require('postgraphile');
const sched = require(path.join(__dirname, '..', '..', 'docs', 'clients', 'postgraphile.js'));

const started = Date.now();
const SECRET = 'a-test-secret-of-at-least-32-characters-for-HS256';

// --------------------------------------------------------------------------
// The superuser's view of the database (psql over the cluster's socket)
// --------------------------------------------------------------------------
function psql(sql) {
  return execFileSync('psql', ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-d', DB, '-c', sql],
                      { encoding: 'utf8' }).trim();
}

const TODAY = psql("LOAD 'sched'; SELECT (now() AT TIME ZONE current_setting('sched.timezone'))::date");
function day(n) {
  const d = new Date(`${TODAY}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// --------------------------------------------------------------------------
// Checks
// --------------------------------------------------------------------------
let count = 0;
let failures = 0;
function check(what, problem) {
  count++;
  if (problem) {
    failures++;
    console.log(`FAIL ${what}: ${problem}`);
  } else {
    console.log(`ok   ${what}`);
  }
}

// --------------------------------------------------------------------------
// HTTP and GraphQL
// --------------------------------------------------------------------------
function listen(handler) {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// `server` is an http.Server or a port number.
function post(server, body, authorization) {
  const data = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const headers = { 'Content-Type': 'application/json', 'Content-Length': data.length };
  if (authorization) headers.Authorization = authorization;
  return new Promise((resolve, reject) => {
    const port = typeof server === 'number' ? server : server.address().port;
    const req = http.request({ host: '127.0.0.1', port, path: '/graphql',
                               method: 'POST', headers }, res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', chunk => { text += chunk; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch (e) { /* left null */ }
        resolve({ status: res.statusCode, json, text });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

function token(claims, options = {}) {
  return 'Bearer ' + jwt.sign({ aud: 'postgraphile', ...claims },
                              options.secret || SECRET,
                              { algorithm: 'HS256', expiresIn: options.expiresIn || '10m' });
}

// A GraphQL request; who is 'anon' (no token), a token string, or claims.
function gql(server, who, query, variables) {
  const authorization = who === 'anon' ? null : typeof who === 'string' ? who : token(who);
  return post(server, { query, variables }, authorization);
}

// The problem with a response that should have data at `field` and no errors.
function dataProblem(r, field) {
  if (r.status !== 200) return `HTTP ${r.status}: ${r.text.slice(0, 300)}`;
  if (!r.json) return `not JSON: ${r.text.slice(0, 300)}`;
  if (r.json.errors) return `errors: ${JSON.stringify(r.json.errors).slice(0, 300)}`;
  if (field && (!r.json.data || r.json.data[field] == null)) return `no data.${field}: ${r.text.slice(0, 300)}`;
  return null;
}

// The problem with a response that should be refused with SQLSTATE `code`,
// in errors[].errcode and errors[].extensions.exception.errcode
// (extendedErrors), and no data for `field`.
function errorProblem(r, field, code, message) {
  if (!r.json || !Array.isArray(r.json.errors) || r.json.errors.length !== 1) {
    return `HTTP ${r.status}, want one error: ${r.text.slice(0, 300)}`;
  }
  const e = r.json.errors[0];
  const inExt = e.extensions && e.extensions.exception && e.extensions.exception.errcode;
  if (e.errcode !== code || inExt !== code) {
    return `errcode ${e.errcode} (extensions: ${inExt}), want ${code}: ${e.message}`;
  }
  if (message && !e.message.includes(message)) return `message "${e.message}", want "${message}"`;
  if (field && r.json.data && r.json.data[field] != null) return `data.${field} is not null`;
  return null;
}

// A response refused by GraphQL itself: errors without errcode, no data.
function graphqlOnly(r) {
  return r.json && Array.isArray(r.json.errors) && r.json.errors.length > 0 &&
    !r.json.errors.some(e => e.errcode) && !(r.json.data && Object.values(r.json.data).some(v => v != null));
}

function describeError(r) {
  const e = r.json && r.json.errors && r.json.errors[0];
  return e ? `HTTP ${r.status}, ${e.errcode || 'no errcode'}: ${e.message}` : `HTTP ${r.status}`;
}

// --------------------------------------------------------------------------
// The queries
// --------------------------------------------------------------------------
const VISIT_FIELDS = 'visitId ref project visitDate timeSlot status agentName agentPhone contactPhone';
const BOOK = `mutation ($input: BookMyVisitInput!) {
  bookMyVisit(input: $input) { myVisit { ${VISIT_FIELDS} } } }`;
const CANCEL = `mutation ($id: BigInt!) {
  cancelMyVisit(input: {visitId: $id, reason: "not mine"}) { myVisit { visitId status } } }`;
const SET_STATUS = `mutation ($id: BigInt!, $status: VisitStatus!) {
  setMyVisitStatus(input: {visitId: $id, status: $status, rmNotes: "called the customer"}) {
    myAssignment { entity id ref status visitDate timeSlot contactName agentNotes } } }`;
const MY_VISITS = `{ allMyVisits(orderBy: VISIT_ID_ASC) { totalCount nodes { ${VISIT_FIELDS} } } }`;
const ONE_VISIT = `query ($id: BigInt!) { myVisitByVisitId(visitId: $id) { visitId status } }`;
const MY_ASSIGNMENTS = `{ allMyAssignments(condition: {entity: VISIT}) { nodes { entity id status agentNotes } } }`;

function booking(visitDate, timeSlot, extra = {}) {
  return { input: { project: 'Brigade Citrine', visitDate, timeSlot, contactName: 'John Doe',
                    contactPhone: '+91 98765 43210', ...extra } };
}

const TYPE_FIELDS = `query ($name: String!) { __type(name: $name) {
  fields { name type { kind name ofType { kind name ofType { kind name } } } } } }`;
const ROOT_FIELDS = '{ __schema { queryType { fields { name } } mutationType { fields { name } } } }';

function typeName(t) {
  while (t && !t.name) t = t.ofType;
  return t && t.name;
}

// --------------------------------------------------------------------------
async function main() {
  const socket = `host=${encodeURIComponent(PGHOST)}&port=${PGPORT}`;
  console.log(`PostGraphile ${require('postgraphile/package.json').version} on node ${process.version}; ` +
              `business today ${TODAY} (${psql("LOAD 'sched'; SHOW sched.timezone")}); ` +
              `options and tags: docs/clients/postgraphile.js, ${path.basename(sched.TAGS_FILE)}`);

  // The API: docs/clients/postgraphile.js's options, as the authenticator.
  const api = postgraphile(`postgres://authenticator@/${DB}?${socket}`, 'sched',
                           { ...sched.options({ jwtSecret: SECRET }), disableQueryLog: true });
  // What the owner sees: the same schema options, as the superuser, no JWT.
  const owner = postgraphile(`postgres://${PGUSER}@/${DB}?${socket}`, 'sched',
                             { ...sched.schemaOptions(), extendedErrors: ['errcode'], disableQueryLog: true });
  const apiServer = await listen(api);
  const ownerServer = await listen(owner);

  try {
    await schemaChecks(apiServer, ownerServer, socket);
    await requestChecks(apiServer, ownerServer);
    await commandLineChecks(apiServer, socket);
  } finally {
    apiServer.close();
    ownerServer.close();
    await api.release();
    await owner.release();
  }

  const tagMisses = warnings.filter(w => /no matches for makePgSmartTagsPlugin/.test(w));
  check('every smart tag of postgraphile.tags.json5 matches something in schema sched',
        tagMisses.length ? tagMisses.join('; ') : null);
  for (const w of warnings.filter(w => !tagMisses.includes(w))) console.log(`note PostGraphile warned: ${w}`);
  for (const l of logged) console.log(`note PostGraphile logged: ${l}`);

  console.log(`\n${count} checks, ${failures} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return failures ? 1 : 0;
}

// --------------------------------------------------------------------------
async function schemaChecks(apiServer, ownerServer, socket) {
  console.log('\n== the schemas');

  // Without --include-extension-resources PostGraphile sees nothing of sched.
  const bare = await createPostGraphileSchema(`postgres://${PGUSER}@/${DB}?${socket}`, 'sched',
                                              { ...sched.schemaOptions(), appendPlugins: [],
                                                includeExtensionResources: false });
  const bareFields = Object.keys(bare.getQueryType().getFields()).filter(f => !['query', 'nodeId', 'node'].includes(f));
  check('without includeExtensionResources: no query and no mutation of sched at all',
        bareFields.length || bare.getMutationType() ? `found ${bareFields.join(', ')}` : null);

  // The customers' and agents' API: only what their roles may call.
  let r = await gql(apiServer, 'anon', ROOT_FIELDS);
  let problem = dataProblem(r, '__schema');
  if (!problem) {
    const q = r.json.data.__schema.queryType.fields.map(f => f.name).sort();
    const m = r.json.data.__schema.mutationType.fields.map(f => f.name).sort();
    const wantM = ['bookMyVisit', 'cancelMyVisit', 'chatTurn', 'requestMyCallback', 'rescheduleMyVisit',
                   'setMyCallbackStatus', 'setMyChannel', 'setMyTimeZone', 'setMyVisitStatus'];
    const wantQ = ['allMyAssignments', 'allMyCallbacks', 'allMyVisits', 'availableSlots',
                   'myCallbackByCallbackId', 'mySchedule', 'myVisitByVisitId', 'requestUserId', 'slotBounds',
                   'slotLabel'];
    if (JSON.stringify(m) !== JSON.stringify(wantM)) problem = `mutations ${m.join(', ')}`;
    else if (wantQ.some(f => !q.includes(f))) problem = `queries ${q.join(', ')}`;
    else if (q.some(f => /^(all(Scheduled|Callbacks|Agents|Outboxes)|listVisits|scheduledVisit)/.test(f))) {
      problem = `team-only queries: ${q.join(', ')}`;
    }
    console.log(`     API mutations: ${m.join(', ')}`);
    console.log(`     API queries:   ${q.filter(f => !['query', 'node', 'nodeId'].includes(f)).join(', ')}`);
  }
  check('the API (authenticator, ignoreRBAC false) has the customer and agent calls and nothing of the team\'s',
        problem);

  r = await gql(apiServer, 'anon', `{ __type(name: "BookMyVisitInput") {
    inputFields { name type { kind name ofType { name } } } } }`);
  problem = dataProblem(r, '__type');
  if (!problem) {
    const f = Object.fromEntries(r.json.data.__type.inputFields.map(x => [x.name, x.type]));
    const required = Object.keys(f).filter(n => f[n].kind === 'NON_NULL').sort().join(',');
    if (required !== 'contactName,contactPhone,project,timeSlot,visitDate') problem = `required: ${required}`;
    else if (f.timeSlot.ofType.name !== 'TimeSlot') problem = `timeSlot is ${f.timeSlot.ofType.name}`;
  }
  check('bookMyVisit: the arguments without a default are required (pgStrictFunctions), timeSlot an enum',
        problem);

  // The owner's schema: the relationships the tags give back, and no table mutations.
  const rel = {};
  for (const [type, field, want] of [['ScheduledVisit', 'agentByAgentId', 'Agent'],
                                      ['Callback', 'agentByAgentId', 'Agent'],
                                      ['Agent', 'scheduledVisitsByAgentId', 'ScheduledVisitsConnection'],
                                      ['Agent', 'callbacksByAgentId', 'CallbacksConnection']]) {
    r = await gql(ownerServer, 'anon', TYPE_FIELDS, { name: type });
    problem = dataProblem(r, '__type');
    if (!problem) {
      const f = r.json.data.__type.fields.find(x => x.name === field);
      problem = !f ? `no field ${type}.${field}` : typeName(f.type) !== want ? `${field} is ${typeName(f.type)}` : null;
    }
    rel[`${type}.${field}`] = problem;
  }
  check('owner\'s schema: ScheduledVisit.agentByAgentId and Callback.agentByAgentId (@foreignKey)',
        rel['ScheduledVisit.agentByAgentId'] || rel['Callback.agentByAgentId']);
  check('owner\'s schema: Agent.scheduledVisitsByAgentId and Agent.callbacksByAgentId (the way back)',
        rel['Agent.scheduledVisitsByAgentId'] || rel['Agent.callbacksByAgentId']);

  r = await gql(ownerServer, 'anon', ROOT_FIELDS);
  problem = dataProblem(r, '__schema');
  if (!problem) {
    const m = r.json.data.__schema.mutationType.fields.map(f => f.name);
    const crud = m.filter(n => /^(create|update|delete)[A-Z]/.test(n));
    const dba = m.filter(n => /^(grant[A-Z]|revokeCalls)/.test(n));
    if (crud.length) problem = `table mutations: ${crud.join(', ')}`;
    else if (dba.length) problem = `DBA functions: ${dba.join(', ')}`;
    else if (!m.includes('setVisitStatus') || !m.includes('bookSiteVisit')) problem = `mutations ${m.join(', ')}`;
    console.log(`     owner's mutations: ${m.sort().join(', ')}`);
  }
  check('owner\'s schema: sched\'s calls as mutations; no create/update/delete of a table, no grant_* (@omit)',
        problem);

  // Every function of the extension is in the owner's schema, a STABLE one
  // as a query and a VOLATILE one as a mutation, but the trigger functions
  // and the DBA's grant functions (@omit execute).
  const procs = psql(`SELECT p.proname || ' ' || p.provolatile::text FROM pg_proc p
      JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'sched'
     WHERE p.prorettype <> 'trigger'::regtype AND p.proname !~ '^(grant_.*_calls|revoke_calls)$'
     ORDER BY 1`).split('\n').map(l => l.split(' '));
  problem = dataProblem(r, '__schema');
  if (!problem) {
    const q = r.json.data.__schema.queryType.fields.map(f => f.name);
    const m = r.json.data.__schema.mutationType.fields.map(f => f.name);
    const camel = n => n.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    const missing = procs.filter(([name, vol]) => !(vol === 'v' ? m : q).includes(camel(name)))
                         .map(([name, vol]) => `${name} (${vol === 'v' ? 'volatile' : 'stable'})`);
    if (missing.length) problem = `not exposed: ${missing.join(', ')}`;
  }
  check(`owner's schema: all ${procs.length} other functions of sched, STABLE ones as queries, VOLATILE ones as mutations`,
        problem);
}

// --------------------------------------------------------------------------
async function requestChecks(apiServer, ownerServer) {
  const A = { sub: 'cust_a', role: 'web_customer' };
  const B = { sub: 'cust_b', role: 'web_customer' };
  let r;

  console.log('\n== customers');
  r = await gql(apiServer, 'anon', BOOK, booking(day(2), 'MORNING'));
  check('anonymous bookMyVisit: refused, 42501 (web_anon has no sched grant)',
        errorProblem(r, 'bookMyVisit', '42501', 'permission denied for schema sched'));

  r = await gql(apiServer, A, BOOK, booking(day(2), 'MORNING', { contactEmail: 'John.Doe@Example.COM' }));
  let problem = dataProblem(r, 'bookMyVisit');
  const v1 = problem ? null : r.json.data.bookMyVisit.myVisit;
  if (!problem && (v1.status !== 'PENDING' || v1.visitDate !== day(2) || v1.timeSlot !== 'MORNING' ||
                   v1.contactPhone !== '+919876543210' || !v1.agentName)) {
    problem = `got ${JSON.stringify(v1)}`;
  }
  check(`customer A books ${day(2)} morning: bookMyVisit { myVisit } pending, phone in E.164, with her RM`,
        problem);
  if (!v1) throw new Error('no visit to go on with');
  const id = v1.visitId;
  const owner = psql(`SELECT user_id FROM sched.scheduled_visits WHERE visit_id = ${Number(id)}`);
  check(`the visit (${v1.ref}) is cust_a's, the JWT's sub (request.jwt.claims from pgSettings)`,
        owner === 'cust_a' ? null : `user_id ${owner}`);

  r = await gql(apiServer, B, BOOK, booking(day(3), 'AFTERNOON', { contactName: 'Jane Roe', contactPhone: '+91 98765 40000' }));
  problem = dataProblem(r, 'bookMyVisit');
  check('customer B books a visit of her own', problem);
  const bId = problem ? null : r.json.data.bookMyVisit.myVisit.visitId;

  r = await gql(apiServer, A, MY_VISITS);
  problem = dataProblem(r, 'allMyVisits');
  if (!problem) {
    const ids = r.json.data.allMyVisits.nodes.map(n => n.visitId);
    if (JSON.stringify(ids) !== JSON.stringify([id])) problem = `visit ids ${ids.join(', ')}`;
  }
  check('A reads allMyVisits: her visit only', problem);

  r = await gql(apiServer, A, '{ mySchedule }');
  problem = dataProblem(r, 'mySchedule');
  if (!problem) {
    const s = r.json.data.mySchedule;
    if (typeof s !== 'object' || !Array.isArray(s.visits) || s.visits.length !== 1 ||
        String(s.visits[0].visit_id) !== id) problem = `mySchedule ${JSON.stringify(s)}`;
  }
  check('A reads mySchedule: a JSON object (dynamicJson) with her visit', problem);

  r = await gql(apiServer, B, ONE_VISIT, { id });
  problem = dataProblem(r, null);
  if (!problem && r.json.data.myVisitByVisitId !== null) problem = `got ${JSON.stringify(r.json.data)}`;
  check('B asks myVisitByVisitId for A\'s visit: null (the view shows B\'s rows only)', problem);
  r = await gql(apiServer, B, MY_VISITS);
  problem = dataProblem(r, 'allMyVisits');
  if (!problem && JSON.stringify(r.json.data.allMyVisits.nodes.map(n => n.visitId)) !== JSON.stringify([bId])) {
    problem = `visit ids ${r.json.data.allMyVisits.nodes.map(n => n.visitId).join(', ')}`;
  }
  check('B reads allMyVisits: her own visit only', problem);

  r = await gql(apiServer, B, CANCEL, { id });
  check('B cancelMyVisit on A\'s visit: PT404, as for a visit that does not exist',
        errorProblem(r, 'cancelMyVisit', 'PT404', `visit ${id} does not exist`));
  console.log(`     ${JSON.stringify(r.json)}`);
  const statusAfterB = psql(`SELECT status FROM sched.scheduled_visits WHERE visit_id = ${Number(id)}`);
  check('A\'s visit is still pending', statusAfterB === 'pending' ? null : statusAfterB);

  console.log('\n== agents');
  const xLogin = psql(`SELECT a.login FROM sched.scheduled_visits v JOIN sched.agents a USING (agent_id)
                        WHERE v.visit_id = ${Number(id)}`);
  const yLogin = psql(`SELECT login FROM sched.agents WHERE login IS NOT NULL AND login <> '${xLogin}'`);
  console.log(`     A's visit went to the agent whose login is ${xLogin}; the other is ${yLogin}`);
  const X = { sub: xLogin, role: 'web_agent' };
  const Y = { sub: yLogin, role: 'web_agent' };

  r = await gql(ownerServer, 'anon', `query ($id: BigInt!) { scheduledVisitByVisitId(visitId: $id) {
    agentId agentByAgentId { agentId login scheduledVisitsByAgentId { nodes { visitId } } } } }`, { id });
  problem = dataProblem(r, 'scheduledVisitByVisitId');
  if (!problem) {
    const v = r.json.data.scheduledVisitByVisitId;
    const a = v.agentByAgentId;
    if (!a || a.login !== xLogin || a.agentId !== v.agentId) problem = `got ${JSON.stringify(v)}`;
    else if (!a.scheduledVisitsByAgentId.nodes.some(n => n.visitId === id)) problem = 'not among the agent\'s visits';
  }
  check('owner: scheduledVisitByVisitId { agentByAgentId } is that agent, and the visit is among its visits',
        problem);

  r = await gql(apiServer, Y, SET_STATUS, { id, status: 'CONFIRMED' });
  check('agent Y setMyVisitStatus on X\'s visit: PT404',
        errorProblem(r, 'setMyVisitStatus', 'PT404', `visit ${id} does not exist`));

  r = await gql(apiServer, { sub: 'auth0|nobody', role: 'web_agent' }, SET_STATUS, { id, status: 'CONFIRMED' });
  check('a web_agent token whose sub is no agent\'s login: 42501',
        errorProblem(r, 'setMyVisitStatus', '42501', 'not an active agent'));

  r = await gql(apiServer, A, SET_STATUS, { id, status: 'CONFIRMED' });
  check('customer A setMyVisitStatus on her own visit: 42501 (a customer role has no agent calls)',
        errorProblem(r, 'setMyVisitStatus', '42501', 'permission denied for function set_my_visit_status'));

  r = await gql(apiServer, X, SET_STATUS, { id, status: 'CONFIRMED' });
  problem = dataProblem(r, 'setMyVisitStatus');
  if (!problem) {
    const a = r.json.data.setMyVisitStatus.myAssignment;
    if (a.entity !== 'VISIT' || a.id !== id || a.status !== 'confirmed' || a.agentNotes !== 'called the customer') {
      problem = `got ${JSON.stringify(a)}`;
    }
  }
  check('agent X confirms it: setMyVisitStatus { myAssignment } confirmed, with the notes', problem);
  const history = psql(`SELECT changed_by FROM sched.status_history
                         WHERE entity = 'visit' AND entity_id = ${Number(id)} AND to_status = 'confirmed'`);
  check('status_history names the agent and the role', /^web_agent \(agent \d+\)$/.test(history) ? null : history);

  r = await gql(apiServer, X, SET_STATUS, { id, status: 'PENDING' });
  check('X moves it back to pending: PT409', errorProblem(r, 'setMyVisitStatus', 'PT409'));

  r = await gql(apiServer, X, MY_ASSIGNMENTS);
  problem = dataProblem(r, 'allMyAssignments');
  if (!problem && !r.json.data.allMyAssignments.nodes.some(n => n.id === id && n.status === 'confirmed')) {
    problem = `got ${JSON.stringify(r.json.data.allMyAssignments.nodes)}`;
  }
  check('X reads allMyAssignments(condition: {entity: VISIT}): the confirmed visit', problem);
  r = await gql(apiServer, Y, MY_ASSIGNMENTS);
  problem = dataProblem(r, 'allMyAssignments');
  if (!problem && r.json.data.allMyAssignments.nodes.some(n => n.id === id)) problem = 'Y sees X\'s visit';
  check('Y reads allMyAssignments: not X\'s visit', problem);

  r = await gql(apiServer, A, MY_VISITS);
  problem = dataProblem(r, 'allMyVisits');
  if (!problem && r.json.data.allMyVisits.nodes[0].status !== 'CONFIRMED') {
    problem = `status ${r.json.data.allMyVisits.nodes[0].status}`;
  }
  check('A sees her visit confirmed', problem);

  console.log('\n== tokens and input');
  r = await gql(apiServer, { role: 'web_customer' }, BOOK, booking(day(3), 'MORNING'));
  check('a web_customer token without sub: bookMyVisit 42501',
        errorProblem(r, 'bookMyVisit', '42501', 'this call needs the user of the request'));
  r = await gql(apiServer, { role: 'web_customer' }, MY_VISITS);
  problem = dataProblem(r, 'allMyVisits');
  if (!problem && r.json.data.allMyVisits.totalCount !== 0) problem = `totalCount ${r.json.data.allMyVisits.totalCount}`;
  check('... and allMyVisits is empty for it', problem);

  r = await gql(apiServer, 'Token ' + token(A).slice(7), MY_VISITS);
  check('an Authorization header that is not "Bearer <token>": HTTP 400', r.status === 400 ? null : describeError(r));
  r = await new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: apiServer.address().port, path: '/graphql?query=%7BrequestUserId%7D' },
             res => { res.resume(); resolve({ status: res.statusCode }); }).on('error', reject);
  });
  check('GET /graphql: HTTP 405, only POST', r.status === 405 ? null : `HTTP ${r.status}`);
  r = await gql(apiServer, token(A, { secret: 'another-secret-of-at-least-32-characters!!' }), MY_VISITS);
  check('a token signed with another secret: refused before any SQL (HTTP 403)',
        r.status === 403 && r.json && r.json.errors && !r.json.data ? null : describeError(r));
  r = await gql(apiServer, token(A, { expiresIn: -10 }), MY_VISITS);
  check('an expired token: HTTP 401', r.status === 401 ? null : describeError(r));
  r = await gql(apiServer, 'Bearer ' + jwt.sign({ sub: 'cust_a', role: 'web_customer' }, SECRET), MY_VISITS);
  check('a token without "aud": "postgraphile": HTTP 403', r.status === 403 ? null : describeError(r));
  const mark = logged.length;
  r = await gql(apiServer, { sub: 'cust_a', role: PGUSER }, MY_VISITS);
  check(`a token naming a role the authenticator is not granted (${PGUSER}): refused, no data`,
        r.json && r.json.errors && !(r.json.data && r.json.data.allMyVisits) && r.status >= 400
          ? null : describeError(r));
  console.log(`     (${describeError(r)}; PostGraphile logged: ${logged.splice(mark).join(' | ') || 'nothing'})`);

  r = await gql(apiServer, A, BOOK, booking(day(3), 'MORNING', { contactPhone: '12345' }));
  check('a phone that is no phone number: 22023',
        errorProblem(r, 'bookMyVisit', '22023', 'contact_phone is not a plausible phone number'));
  r = await gql(apiServer, A, BOOK, booking(day(-2), 'MORNING'));
  check('a date before the business\'s today: 22023', errorProblem(r, 'bookMyVisit', '22023', 'past'));
  // Input GraphQL refuses itself: no SQL runs, so no SQLSTATE.  In a
  // variable, HTTP 200 (graphql-js coerces variables when it executes); in
  // the query text, HTTP 400 (validation).
  const before = psql("SELECT count(*) FROM sched.scheduled_visits");
  r = await gql(apiServer, A, BOOK, { input: { project: 'Brigade Citrine', visitDate: day(3), timeSlot: 'MORNING',
                                               contactName: 'John Doe' } });
  check('contactPhone left out (in $input): a GraphQL error without errcode, HTTP 200, no data',
        r.status === 200 && graphqlOnly(r) ? null : describeError(r));
  r = await gql(apiServer, A, `mutation { bookMyVisit(input: {project: "Brigade Citrine", visitDate: "${day(3)}",
    timeSlot: NIGHT, contactName: "John Doe", contactPhone: "+91 98765 43210"}) { myVisit { visitId } } }`);
  check('timeSlot: NIGHT in the query text: a GraphQL validation error without errcode, HTTP 400',
        r.status === 400 && graphqlOnly(r) ? null : describeError(r));
  const after = psql("SELECT count(*) FROM sched.scheduled_visits");
  check('... and nothing was booked', before === after ? null : `${before} visits before, ${after} after`);

  console.log('\n== limits and callbacks');
  for (const slot of ['AFTERNOON', 'EVENING']) {
    r = await gql(apiServer, A, BOOK, booking(day(2), slot));
    check(`A books ${day(2)} ${slot.toLowerCase()} (open visit ${slot === 'AFTERNOON' ? 2 : 3} of 3)`,
          dataProblem(r, 'bookMyVisit'));
  }
  r = await gql(apiServer, A, BOOK, booking(day(4), 'MORNING'));
  check('A\'s 4th open visit: PT429', errorProblem(r, 'bookMyVisit', 'PT429'));
  r = await gql(apiServer, A, `{ allMyVisits(orderBy: VISIT_DATE_ASC, condition: {status: PENDING}) {
    totalCount nodes { timeSlot } } }`);
  problem = dataProblem(r, 'allMyVisits');
  if (!problem && r.json.data.allMyVisits.nodes.map(n => n.timeSlot).sort().join() !== 'AFTERNOON,EVENING') {
    problem = `got ${JSON.stringify(r.json.data.allMyVisits)}`;
  }
  check('A reads allMyVisits(orderBy: VISIT_DATE_ASC, condition: {status: PENDING}): the two pending ones', problem);
  const open = psql("SELECT count(*) FROM sched.scheduled_visits WHERE user_id = 'cust_a'");
  check('A has 3 visits, not 4', open === '3' ? null : `${open} visits`);

  r = await gql(apiServer, A, `mutation { requestMyCallback(input: {contactName: "John Doe",
    contactPhone: "+91 98765 43210", urgency: HIGH, reason: "price list"}) {
    myCallback { callbackId ref status urgency agentName } } }`);
  problem = dataProblem(r, 'requestMyCallback');
  const cb = problem ? null : r.json.data.requestMyCallback.myCallback;
  if (!problem && (cb.status !== 'PENDING' || cb.urgency !== 'HIGH')) problem = `got ${JSON.stringify(cb)}`;
  check('A requests a callback: requestMyCallback { myCallback } pending', problem);
  r = await gql(apiServer, B, `mutation { requestMyCallback(input: {contactName: "Jane Roe",
    contactPhone: "+91 98765 40000", urgency: null}) { myCallback { urgency } } }`);
  problem = dataProblem(r, 'requestMyCallback');
  if (!problem && r.json.data.requestMyCallback.myCallback.urgency !== 'MEDIUM') {
    problem = `urgency ${r.json.data.requestMyCallback.myCallback.urgency}`;
  }
  check('urgency: null is left out of the call, so its default applies: MEDIUM (not 22004)', problem);
  if (cb) {
    const cbLogin = psql(`SELECT coalesce(a.login, a.name) FROM sched.callbacks c JOIN sched.agents a USING (agent_id)
                           WHERE c.callback_id = ${Number(cb.callbackId)}`);
    r = await gql(ownerServer, 'anon', `query ($id: BigInt!) { callbackByCallbackId(callbackId: $id) {
      agentByAgentId { login name } } }`, { id: cb.callbackId });
    problem = dataProblem(r, 'callbackByCallbackId');
    if (!problem) {
      const a = r.json.data.callbackByCallbackId.agentByAgentId;
      if (!a || (a.login || a.name) !== cbLogin) problem = `got ${JSON.stringify(a)}, want ${cbLogin}`;
    }
    check('owner: callbackByCallbackId { agentByAgentId } is the callback\'s agent', problem);
  }

  r = await gql(apiServer, A, `{ availableSlots(project: "Brigade Citrine", dateFrom: "${day(2)}", days: 1) {
    nodes { visitDate timeSlot free } } }`);
  problem = dataProblem(r, 'availableSlots');
  if (!problem) {
    const free = Object.fromEntries(r.json.data.availableSlots.nodes.map(n => [n.timeSlot, n.free]));
    // two agents take visits, one place each; A holds one place in each slot
    if (free.MORNING !== 1 || free.AFTERNOON !== 1 || free.EVENING !== 1) problem = `free ${JSON.stringify(free)}`;
  }
  check(`availableSlots for ${day(2)}: one place left in each slot`, problem);
}

// --------------------------------------------------------------------------
// The command line: docs/clients/postgraphilerc.js as .postgraphilerc.js,
// with postgraphile.js and postgraphile.tags.json5, in a directory of their
// own (as a deployment has them), `postgraphile -c ...` started there.
const INTROSPECT = `{ __schema { types { name kind fields { name args { name } type { name kind ofType { name } } }
  inputFields { name } enumValues { name } } } }`;

function shape(r) {
  const types = r.json.data.__schema.types.filter(t => !t.name.startsWith('__'));
  types.sort((a, b) => a.name.localeCompare(b.name));
  return Object.fromEntries(types.map(t => [t.name, JSON.stringify(t)]));
}

function startCommandLine(dir, conn) {
  const cli = path.join(dir, 'node_modules', 'postgraphile', 'cli.js');
  const env = { ...process.env, JWT_SECRET: SECRET };
  delete env.NODE_PATH;                              // the directory's node_modules only
  const child = spawn(process.execPath, [cli, '-c', conn, '--host', '127.0.0.1', '--port', '0',
                                         '--disable-query-log'], { cwd: dir, env });
  let out = '';
  const port = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`postgraphile did not start: ${out}`)), 30000);
    const seen = chunk => {
      out += chunk;
      const m = /listening on port\D*(\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`postgraphile exited (${code}): ${out}`)); });
  });
  return { child, port, output: () => out };
}

async function commandLineChecks(apiServer, socket) {
  console.log('\n== the command line (docs/clients/postgraphilerc.js as .postgraphilerc.js)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sched-postgraphile-'));
  const clients = path.join(__dirname, '..', '..', 'docs', 'clients');
  fs.copyFileSync(path.join(clients, 'postgraphile.js'), path.join(dir, 'postgraphile.js'));
  fs.copyFileSync(path.join(clients, 'postgraphile.tags.json5'), path.join(dir, 'postgraphile.tags.json5'));
  fs.copyFileSync(path.join(clients, 'postgraphilerc.js'), path.join(dir, '.postgraphilerc.js'));
  fs.symlinkSync(path.join(__dirname, 'node_modules'), path.join(dir, 'node_modules'));
  const cli = startCommandLine(dir, `postgres://authenticator@/${DB}?${socket}`);
  try {
    const port = await cli.port;
    const C = { sub: 'cust_c', role: 'web_customer' };

    const [lib, cmd] = [await gql(apiServer, 'anon', INTROSPECT), await gql(port, 'anon', INTROSPECT)];
    let problem = dataProblem(lib, '__schema') || dataProblem(cmd, '__schema');
    if (!problem) {
      const [a, b] = [shape(lib), shape(cmd)];
      const differ = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(t => a[t] !== b[t]);
      if (differ.length) problem = `types that differ: ${differ.slice(0, 10).join(', ')}`;
    }
    check('`postgraphile -c ...` with .postgraphilerc.js: the same GraphQL schema as postgraphile.js', problem);

    let r = await gql(port, 'anon', BOOK, booking(day(5), 'MORNING'));
    check('command line, anonymous bookMyVisit: 42501', errorProblem(r, 'bookMyVisit', '42501'));
    r = await gql(port, C, BOOK, booking(day(5), 'MORNING', { contactName: 'Carl Poe', contactPhone: '+91 98765 40001' }));
    problem = dataProblem(r, 'bookMyVisit');
    const id = problem ? null : r.json.data.bookMyVisit.myVisit.visitId;
    if (id) {
      const user = psql(`SELECT user_id FROM sched.scheduled_visits WHERE visit_id = ${Number(id)}`);
      if (user !== 'cust_c') problem = `user_id ${user}`;
    }
    check('command line, customer C books: the visit is the token\'s sub\'s (pgSettings from the rc file)', problem);
    if (id) {
      r = await gql(port, { sub: 'cust_a', role: 'web_customer' }, CANCEL, { id });
      check('command line, A cancelMyVisit on C\'s visit: PT404', errorProblem(r, 'cancelMyVisit', 'PT404'));
    }
  } finally {
    cli.child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(code => {
  Object.assign(console, { warn, error });
  process.exit(code);
}, err => {
  Object.assign(console, { warn, error });
  console.error(err && err.stack || err);
  for (const l of logged) console.error(`PostGraphile logged: ${l}`);
  for (const w of warnings) console.error(`PostGraphile warned: ${w}`);
  process.exit(1);
});
