// The postgraphile command line's configuration for schema sched
// (docs/clients/postgraphile.md): copy it as .postgraphilerc.js, next to
// postgraphile.js and postgraphile.tags.json5, into the directory you
// start postgraphile from:
//
//   npm install postgraphile@4.14.1 jsonwebtoken@9.0.3
//   JWT_SECRET=... npx postgraphile -c postgres://authenticator:...@localhost/sales
//
// The command line reads the smart tags from ./postgraphile.tags.json5 by
// itself, and the JWT secret from JWT_SECRET (or --jwt-secret).  The
// options are those of postgraphile.js in the command line's spelling
// (ignoreRbac, not ignoreRBAC); the flags for the ones that have one are in
// the comments.  pgSettings, which gives sched the request's user, has no
// flag: this file is the only way to give the command line a function.
// test/postgraphile/run.sh runs the command line with this file and checks
// that its schema is the library server's.
'use strict';

const sched = require('./postgraphile.js');

if (typeof process.env.JWT_SECRET !== 'string' || process.env.JWT_SECRET.length < 32) {
  throw new Error('sched: set JWT_SECRET (at least 32 characters) for postgraphile');
}

module.exports = {
  options: {
    schema: ['sched'],                      // --schema sched
    includeExtensionResources: true,        // --include-extension-resources
    ignoreRbac: false,                      // --no-ignore-rbac
    dynamicJson: true,                      // --dynamic-json
    setofFunctionsContainNulls: false,      // --no-setof-functions-contain-nulls
    legacyRelations: 'omit',                // --legacy-relations omit
    graphileBuildOptions: { pgStrictFunctions: true },     // no flag
    jwtVerifyOptions: sched.JWT_VERIFY_OPTIONS,            // --jwt-verify-algorithms HS256 --jwt-verify-audience postgraphile
    // No --default-role: PostGraphile refuses it with a pgSettings function,
    // which picks the anonymous role (web_anon) itself.
    pgSettings: sched.pgSettings(process.env.JWT_SECRET),  // no flag
    extendedErrors: ['errcode', 'detail', 'hint'],         // --extended-errors errcode,detail,hint
    disableGraphiql: true,                  // --disable-graphiql
  },
};
