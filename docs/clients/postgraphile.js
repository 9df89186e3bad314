// sched behind PostGraphile v4: the options of docs/clients/postgraphile.md,
// and a server that runs with them.
//
//   npm install postgraphile@4.14.1 jsonwebtoken@9.0.3
//   DATABASE_URL=postgres://authenticator:...@localhost/sales \
//   JWT_SECRET=... PORT=5000 node postgraphile.js
//
// test/postgraphile/run.sh loads this file and postgraphile.tags.json5 next
// to it, starts the server with exactly these options, and checks what a
// customer and an agent get.
//
// The one thing PostGraphile does not do by itself: sched takes the user of
// a request from request.jwt.claims (the JSON of the token's claims, as
// PostgREST sets it; sched.request_user_id()), while PostGraphile v4 sets
// one setting per claim under another name, jwt.claims.<name>.  pgSettings
// below sets request.jwt.claims from the same verified token, in the same
// transaction-local set_config statement PostGraphile runs before each
// request's SQL.
'use strict';

const http = require('http');
const path = require('path');
const jwt = require('jsonwebtoken');
const { postgraphile } = require('postgraphile');
const { makePgSmartTagsFromFilePlugin } = require('postgraphile/plugins');

const TAGS_FILE = path.join(__dirname, 'postgraphile.tags.json5');

// How tokens are checked, both by PostGraphile (which refuses a bad token
// with 403 before any SQL runs) and by pgSettings below.  PostGraphile v4
// wants "aud": "postgraphile" unless told otherwise; said here so that both
// checks are the same.
const JWT_VERIFY_OPTIONS = { algorithms: ['HS256'], audience: 'postgraphile' };

// PostGraphile's own test for the Authorization header (a header that does
// not match is refused with 400 before pgSettings runs).
const BEARER = /^\s*bearer\s+([a-z0-9\-._~+/]+=*)\s*$/i;

// The options that shape the GraphQL schema: the same for every role (the
// schema is built once, as the connecting role, with the privileges of
// every role it may become: ignoreRBAC false).
function schemaOptions() {
  return {
    // sched's tables, views and functions belong to the extension; without
    // this PostGraphile leaves all of them out.
    includeExtensionResources: true,
    // Only what the connecting role, or a role granted to it, may use.
    ignoreRBAC: false,
    // Relationships, read-only tables and views, the DBA's functions left out.
    appendPlugins: [makePgSmartTagsFromFilePlugin(TAGS_FILE)],
    // Arguments without a default are required (String!), as sched needs them.
    graphileBuildOptions: { pgStrictFunctions: true },
    // mySchedule and the jsonb columns as JSON objects, not strings.
    dynamicJson: true,
    // availableSlots and the other set-returning calls have no null rows.
    setofFunctionsContainNulls: false,
    legacyRelations: 'omit',
  };
}

// The verified claims of the request's token, or null (no token, or one
// PostGraphile refuses anyway).
function verifiedClaims(req, jwtSecret) {
  const match = BEARER.exec(req.headers.authorization || '');
  if (!match) return null;
  try {
    const claims = jwt.verify(match[1], jwtSecret, JWT_VERIFY_OPTIONS);
    return claims && typeof claims === 'object' ? claims : null;
  } catch (e) {
    return null;
  }
}

// pgSettings(req): the role of the request (the token's "role" claim, else
// the anonymous role) and request.jwt.claims.  PostGraphile refuses
// pgDefaultRole together with a pgSettings function, so the anonymous role
// is chosen here.
function pgSettings(jwtSecret, anonRole = 'web_anon') {
  return async function schedPgSettings(req) {
    const claims = verifiedClaims(req, jwtSecret);
    return {
      role: claims && typeof claims.role === 'string' ? claims.role : anonRole,
      'request.jwt.claims': claims ? JSON.stringify(claims) : '',
    };
  };
}

// Everything: the schema's options and the requests'.
function options({ jwtSecret, anonRole = 'web_anon' }) {
  if (typeof jwtSecret !== 'string' || jwtSecret.length < 32) {
    throw new Error('sched: JWT_SECRET must be a string of at least 32 characters');
  }
  return {
    ...schemaOptions(),
    jwtSecret,
    jwtVerifyOptions: JWT_VERIFY_OPTIONS,
    pgSettings: pgSettings(jwtSecret, anonRole),
    // Every error carries its SQLSTATE, detail and hint: errors[].errcode
    // (and errors[].extensions.exception.errcode), sched's PT404, PT409,
    // PT429, 42501, 22023 ...
    extendedErrors: ['errcode', 'detail', 'hint'],
    showErrorStack: false,
    graphiql: false,
    enableCors: false,
  };
}

module.exports = { TAGS_FILE, JWT_VERIFY_OPTIONS, schemaOptions, pgSettings, options };

if (require.main === module) {
  const port = Number(process.env.PORT || 5000);
  const handler = postgraphile(process.env.DATABASE_URL, 'sched', {
    ...options({ jwtSecret: process.env.JWT_SECRET }),
    retryOnInitFail: true,
  });
  http.createServer(handler).listen(port, () => {
    console.log(`sched GraphQL API on http://localhost:${port}/graphql`);
  });
}
