-- pgTAP: every error a caller can cause, with its SQLSTATE and message,
-- and for each one that nothing was written (visits, callbacks, outbox,
-- history, profiles, agents).
--   22004  a required argument is NULL (the message names it)
--   22023  a bad value (the message names the argument)
--   PT404  no such visit / callback
--   PT409  an illegal status move, a full slot, no agent available
BEGIN;
SELECT plan(246);

LOAD 'sched';
UPDATE sched.agents SET active = false;
-- Bookings and profiles of this file's users left by anything else are
-- set aside (this file's transaction rolls back, so nothing is lost).
DELETE FROM sched.user_profiles WHERE lower(user_id) LIKE 't80\_%';
DELETE FROM sched.scheduled_visits WHERE lower(user_id) LIKE 't80\_%';
DELETE FROM sched.callbacks WHERE lower(user_id) LIKE 't80\_%';
INSERT INTO sched.agents (name, phone, is_senior) VALUES ('T80 Agent', '9876500081', true);
SELECT agent_id AS a FROM sched.agents WHERE name = 'T80 Agent' \gset
SELECT visit_id AS v FROM sched.book_site_visit('t80_setup', 'P', current_date + 2, 'evening', 'Setup', '9876543280') \gset
SELECT callback_id AS c FROM sched.request_callback('t80_setup', 'Setup', '9876543280') \gset

CREATE FUNCTION pg_temp.written() RETURNS text LANGUAGE sql AS $$
  SELECT format('visits %s, callbacks %s, outbox %s, history %s, profiles %s/%s, agents %s',
                (SELECT count(*) FROM sched.scheduled_visits), (SELECT count(*) FROM sched.callbacks),
                (SELECT count(*) FROM sched.outbox), (SELECT count(*) FROM sched.status_history),
                (SELECT count(*) FROM sched.user_profiles),
                (SELECT sum(site_visits_scheduled + callbacks_requested + intent_points) FROM sched.user_profiles),
                (SELECT count(*) FROM sched.agents))
$$;
-- The statement fails with this SQLSTATE and message, and writes nothing.
CREATE FUNCTION pg_temp.refused(stmt text, state text, msg text, what text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  before text := pg_temp.written();
BEGIN
  RETURN NEXT throws_ok(stmt, state, msg, what);
  RETURN NEXT is(pg_temp.written(), before, what || ': nothing written');
END $$;
-- book_site_visit with one argument replaced (by name, as PostgREST calls it).
CREATE FUNCTION pg_temp.book(arg text, val text) RETURNS text LANGUAGE sql AS $$
  SELECT format('SELECT sched.book_site_visit(%s)', string_agg(
           format('%I => %s', k, CASE WHEN k = arg THEN val ELSE d END), ', ' ORDER BY i))
    FROM (VALUES (1, 'user_id', '''t80_u'''), (2, 'project', '''Brigade Citrine'''),
                 (3, 'visit_date', 'current_date + 2'), (4, 'time_slot', '''morning'''),
                 (5, 'contact_name', '''Error Tester'''), (6, 'contact_phone', '''9876543281'''),
                 (7, 'contact_email', 'NULL'), (8, 'notes', 'NULL'), (9, 'session_id', 'NULL'),
                 (10, 'lead_score', 'NULL'), (11, 'idempotency_key', 'NULL')) AS a (i, k, d)
$$;
CREATE FUNCTION pg_temp.callback(arg text, val text) RETURNS text LANGUAGE sql AS $$
  SELECT format('SELECT sched.request_callback(%s)', string_agg(
           format('%I => %s', k, CASE WHEN k = arg THEN val ELSE d END), ', ' ORDER BY i))
    FROM (VALUES (1, 'user_id', '''t80_u'''), (2, 'contact_name', '''Error Tester'''),
                 (3, 'contact_phone', '''9876543281'''), (4, 'reason', 'NULL'),
                 (5, 'urgency', '''medium'''), (6, 'contact_email', 'NULL'), (7, 'session_id', 'NULL'),
                 (8, 'lead_score', 'NULL'), (9, 'idempotency_key', 'NULL')) AS a (i, k, d)
$$;

-- The helpers themselves: the unchanged call books.
SELECT lives_ok(pg_temp.book('none', NULL), 'the template booking used below is valid');
SELECT lives_ok(pg_temp.callback('none', NULL), 'the template callback used below is valid');

-- ---------------------------------------------------------------------
-- 22004: NULL for a required argument, named in the message
-- ---------------------------------------------------------------------
SELECT pg_temp.refused(pg_temp.book(k, 'NULL'), '22004', k || ' must not be null',
                       'book_site_visit with ' || k || ' NULL: 22004')
  FROM unnest(ARRAY['user_id', 'project', 'visit_date', 'time_slot', 'contact_name', 'contact_phone'])
       WITH ORDINALITY AS x (k, i) ORDER BY i;
SELECT pg_temp.refused(pg_temp.callback(k, 'NULL'), '22004', k || ' must not be null',
                       'request_callback with ' || k || ' NULL: 22004')
  FROM unnest(ARRAY['user_id', 'contact_name', 'contact_phone', 'urgency'])
       WITH ORDINALITY AS x (k, i) ORDER BY i;
SELECT pg_temp.refused($$SELECT sched.book_site_visit(NULL, NULL, NULL, NULL, NULL, NULL)$$,
  '22004', 'user_id must not be null', 'with several NULLs the first argument is named');
SELECT pg_temp.refused($$SELECT sched.user_schedule(NULL)$$, '22004', 'user_id must not be null',
  'user_schedule(NULL): 22004');
SELECT pg_temp.refused($$SELECT * FROM sched.list_visits(max_rows => NULL)$$, '22004', 'max_rows must not be null',
  'list_visits with max_rows NULL: 22004');
SELECT pg_temp.refused($$SELECT * FROM sched.list_callbacks(max_rows => NULL)$$, '22004', 'max_rows must not be null',
  'list_callbacks with max_rows NULL: 22004');
SELECT pg_temp.refused($$SELECT sched.set_visit_status(NULL, 'confirmed')$$, '22004', 'visit_id must not be null',
  'set_visit_status with visit_id NULL: 22004');
SELECT pg_temp.refused(format('SELECT sched.set_visit_status(%s, NULL)', :v), '22004', 'status must not be null',
  'set_visit_status with status NULL: 22004');
SELECT pg_temp.refused($$SELECT sched.set_callback_status(NULL, 'contacted')$$, '22004', 'callback_id must not be null',
  'set_callback_status with callback_id NULL: 22004');
SELECT pg_temp.refused(format('SELECT sched.set_callback_status(%s, NULL)', :c), '22004', 'status must not be null',
  'set_callback_status with status NULL: 22004');
SELECT pg_temp.refused(
  $$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_phone)
    VALUES ('t80_u', 'P', current_date + 2, 'morning', '9876543281')$$,
  '22004', 'contact_name must not be null', 'a plain INSERT without contact_name: 22004 (not 23502)');
SELECT pg_temp.refused($$INSERT INTO sched.agents (name) VALUES ('No Phone')$$, '22004', 'phone must not be null',
  'an agent without a phone: 22004');

-- ---------------------------------------------------------------------
-- 22023: phone numbers
-- ---------------------------------------------------------------------
SELECT pg_temp.refused(pg_temp.book('contact_phone', quote_literal(p)), '22023',
                       'contact_phone is not a plausible phone number',
                       format('book_site_visit with contact_phone %s (%s): 22023', left(p, 24), why))
  FROM (VALUES (1, 'abc', 'letters'), (2, '12345', 'too short'), (3, '+91 08765 43210', 'national number starting with 0'),
               (4, '98765+43210', 'a + inside'), (5, '   ', 'blank'), (6, '', 'empty'),
               (7, '+91 98765 4321', 'nine digits after +91'), (8, '+91 98765 432100', 'eleven digits after +91'),
               (9, '+1234567890123456', 'sixteen digits'), (10, '+0 98765 43210', 'country code 0'),
               (11, '98765 43210 ext 5', 'an extension'), (12, repeat('9', 10000), 'ten thousand digits'),
               (13, '9876543210#', 'a #'), (14, '123456789', 'nine digits, no country code'))
       AS t (i, p, why) ORDER BY i;
SELECT pg_temp.refused(pg_temp.callback('contact_phone', quote_literal('call me')), '22023',
  'contact_phone is not a plausible phone number', 'request_callback with a phone of letters: 22023');
SELECT pg_temp.refused($$INSERT INTO sched.agents (name, phone) VALUES ('Bad Phone', 'n/a')$$,
  '22023', 'phone is not a plausible phone number', 'an agent with a bad phone: 22023');
SET LOCAL sched.default_country_code = '44';
SELECT pg_temp.refused(pg_temp.book('contact_phone', quote_literal('919876543210')), '22023',
  'contact_phone is not a plausible phone number',
  'with sched.default_country_code 44, a 91-prefixed number without + is not read as Indian');
RESET sched.default_country_code;

-- ---------------------------------------------------------------------
-- 22023: email addresses
-- ---------------------------------------------------------------------
SELECT pg_temp.refused(pg_temp.book('contact_email', quote_literal(e)), '22023',
                       'contact_email is not a valid email address',
                       format('book_site_visit with contact_email %s (%s): 22023', left(e, 30), why))
  FROM (VALUES (1, 'john', 'no @'), (2, 'john@', 'no domain'), (3, '@example.com', 'no local part'),
               (4, 'a@b@example.com', 'two @'), (5, 'john@example', 'one-label domain'),
               (6, 'john..doe@example.com', 'two dots in a row'), (7, 'john@-example.com', 'label starting with -'),
               (8, repeat('a', 65) || '@example.com', 'local part over 64'),
               (9, 'a@' || repeat('b', 250) || '.com', 'over 254 characters'),
               (10, 'jöhn@example.com', 'non-ASCII'), (11, 'john doe@example.com', 'a space'),
               (12, 'john@example.c', 'one-letter TLD'), (13, 'john@example.123', 'numeric TLD'),
               (14, 'john@exa_mple.com', 'underscore in the domain'), (15, '.john@example.com', 'leading dot'))
       AS t (i, e, why) ORDER BY i;
SELECT pg_temp.refused(pg_temp.callback('contact_email', quote_literal('x@y')), '22023',
  'contact_email is not a valid email address', 'request_callback with a bad email: 22023');
SELECT pg_temp.refused($$INSERT INTO sched.agents (name, phone, email) VALUES ('Bad Mail', '9876500089', 'agent@')$$,
  '22023', 'email is not a valid email address', 'an agent with a bad email: 22023');

-- ---------------------------------------------------------------------
-- 22023: the booking window, counted from the business's today
-- ---------------------------------------------------------------------
\ir include/clock.sql
SELECT pg_temp.refused(pg_temp.book('visit_date', 'pg_temp.today() - 1'), '22023', 'visit_date must not be in the past',
  'a visit yesterday: 22023');
SELECT pg_temp.refused(pg_temp.book('visit_date', $$'-infinity'$$), '22023', 'visit_date must not be in the past',
  'a visit at -infinity: 22023');
SELECT pg_temp.refused(pg_temp.book('visit_date', 'pg_temp.today() + 91'), '22023', 'visit_date is more than 90 days ahead',
  'a visit 91 days ahead: 22023');
SELECT pg_temp.refused(pg_temp.book('visit_date', $$'infinity'$$), '22023', 'visit_date is more than 90 days ahead',
  'a visit at infinity: 22023');
SET LOCAL sched.max_days_ahead = 10;
SELECT pg_temp.refused(pg_temp.book('visit_date', 'pg_temp.today() + 11'), '22023', 'visit_date is more than 10 days ahead',
  'with sched.max_days_ahead = 10, 11 days ahead: 22023 naming 10');
SET LOCAL sched.max_days_ahead = 0;
SELECT pg_temp.refused(pg_temp.book('visit_date', 'pg_temp.today() + 1'), '22023', 'visit_date is more than 0 days ahead',
  'with sched.max_days_ahead = 0 only today can be booked');
RESET sched.max_days_ahead;
SELECT pg_temp.refused(format('UPDATE sched.scheduled_visits SET visit_date = pg_temp.today() - 1 WHERE visit_id = %s', :v),
  '22023', 'visit_date must not be in the past', 'moving a pending visit into the past with a plain UPDATE: 22023');
SELECT pg_temp.refused(format('UPDATE sched.scheduled_visits SET visit_date = current_date + 200 WHERE visit_id = %s', :v),
  '22023', 'visit_date is more than 90 days ahead', 'moving a pending visit past the window with a plain UPDATE: 22023');

-- ---------------------------------------------------------------------
-- 22023: blank, over-long and control characters
-- ---------------------------------------------------------------------
SELECT pg_temp.refused(pg_temp.book(k, quote_literal(val)), '22023', k || ' must not be empty',
                       format('book_site_visit with %s %s: 22023', k, why))
  FROM (VALUES (1, 'user_id', '', 'empty'), (2, 'user_id', '   ', 'blank'), (3, 'project', '', 'empty'),
               (4, 'project', E' \t ', 'white space'), (5, 'contact_name', ' ', 'blank'))
       AS t (i, k, val, why) ORDER BY i;
SELECT pg_temp.refused(pg_temp.callback(k, quote_literal(val)), '22023', k || ' must not be empty',
                       format('request_callback with %s blank: 22023', k))
  FROM (VALUES (1, 'user_id', ' '), (2, 'contact_name', '')) AS t (i, k, val) ORDER BY i;
SELECT pg_temp.refused($$INSERT INTO sched.agents (name, phone) VALUES ('  ', '9876500088')$$,
  '22023', 'name must not be empty', 'an agent with a blank name: 22023');

SELECT pg_temp.refused(pg_temp.book(k, format('repeat(%L, %s)', 'x', n)), '22023', k || ' is too long',
                       format('book_site_visit with %s of %s characters: 22023', k, n))
  FROM (VALUES (1, 'user_id', 201), (2, 'project', 201), (3, 'contact_name', 101), (4, 'notes', 2001),
               (5, 'session_id', 201), (6, 'idempotency_key', 201), (7, 'contact_name', 1000000))
       AS t (i, k, n) ORDER BY i;
SELECT pg_temp.refused(pg_temp.callback(k, format('repeat(%L, %s)', 'x', n)), '22023', k || ' is too long',
                       format('request_callback with %s of %s characters: 22023', k, n))
  FROM (VALUES (1, 'user_id', 201), (2, 'contact_name', 101), (3, 'reason', 501), (4, 'session_id', 201),
               (5, 'idempotency_key', 201)) AS t (i, k, n) ORDER BY i;
SELECT pg_temp.refused(pg_temp.book('contact_name', format('repeat(%L, 101)', 'é')), '22023', 'contact_name is too long',
  'a name of 101 two-byte characters is too long: 22023');
SELECT pg_temp.refused(format($$SELECT sched.set_visit_status(%s, 'confirmed', repeat('x', 2001))$$, :v),
  '22023', 'rm_notes is too long', 'set_visit_status with rm_notes of 2001 characters: 22023');
SELECT pg_temp.refused(format($$SELECT sched.set_callback_status(%s, 'contacted', repeat('x', 2001))$$, :c),
  '22023', 'agent_notes is too long', 'set_callback_status with agent_notes of 2001 characters: 22023');
SELECT pg_temp.refused(format($$SELECT sched.set_callback_status(%s, 'contacted', outcome => repeat('x', 501))$$, :c),
  '22023', 'outcome is too long', 'set_callback_status with an outcome of 501 characters: 22023');
SELECT pg_temp.refused($$INSERT INTO sched.agents (name, phone) VALUES (repeat('n', 101), '9876500087')$$,
  '22023', 'name is too long', 'an agent name of 101 characters: 22023');

SELECT pg_temp.refused(pg_temp.book(k, val), '22023', k || ' must not contain control characters',
                       format('book_site_visit with %s holding %s: 22023', k, why))
  FROM (VALUES (1, 'contact_name', $$E'John\nDoe'$$, 'a line break'), (2, 'project', $$E'Brigade\tCitrine'$$, 'a tab'),
               (3, 'notes', $$E'bad\x01byte'$$, 'a control byte'), (4, 'user_id', $$E'u\x1b[31m'$$, 'an escape'),
               (5, 'session_id', $$E's\x7f'$$, 'DEL'))
       AS t (i, k, val, why) ORDER BY i;
SELECT pg_temp.refused(pg_temp.callback('reason', $$E'call\x07me'$$), '22023', 'reason must not contain control characters',
  'request_callback with a bell in reason: 22023');

-- ---------------------------------------------------------------------
-- 22023: numbers out of range
-- ---------------------------------------------------------------------
SELECT pg_temp.refused(pg_temp.book('lead_score', n::text), '22023', 'lead_score must be between 0 and 100',
                       format('book_site_visit with lead_score %s: 22023', n))
  FROM unnest(ARRAY[-1, 101, -2147483648, 2147483647]) WITH ORDINALITY AS x (n, i) ORDER BY i;
SELECT pg_temp.refused(pg_temp.callback('lead_score', n::text), '22023', 'lead_score must be between 0 and 100',
                       format('request_callback with lead_score %s: 22023', n))
  FROM unnest(ARRAY[-5, 1000]) WITH ORDINALITY AS x (n, i) ORDER BY i;
SELECT pg_temp.refused(format('SELECT * FROM sched.list_visits(max_rows => %s)', n), '22023',
                       'max_rows must be between 1 and 1000', format('list_visits with max_rows %s: 22023', n))
  FROM unnest(ARRAY[0, 1001, -1]) WITH ORDINALITY AS x (n, i) ORDER BY i;
SELECT pg_temp.refused(format('SELECT * FROM sched.list_callbacks(max_rows => %s)', n), '22023',
                       'max_rows must be between 1 and 1000', format('list_callbacks with max_rows %s: 22023', n))
  FROM unnest(ARRAY[0, 1001]) WITH ORDINALITY AS x (n, i) ORDER BY i;
SELECT pg_temp.refused(format($$SELECT sched.set_callback_status(%s, 'contacted', call_duration_s => %s)$$, :c, n), '22023',
                       'call_duration_s must be between 0 and 86400', format('call_duration_s %s: 22023', n))
  FROM unnest(ARRAY[-1, 86401]) WITH ORDINALITY AS x (n, i) ORDER BY i;
SELECT pg_temp.refused(
  $$SELECT * FROM sched.list_visits(date_from => current_date + 3, date_to => current_date + 2)$$,
  '22023', 'date_from must not be after date_to', 'list_visits with date_from after date_to: 22023');
SELECT pg_temp.refused($$INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('Neg', '9876500086', -1)$$,
  '23514', NULL, 'an agent with a negative slot_capacity violates the CHECK constraint');

-- Bad setting values are refused too (22023).
SELECT throws_ok($$SET LOCAL sched.default_country_code = '0'$$, '22023',
  'invalid value for parameter "sched.default_country_code": "0"', 'country code 0 is refused');
SELECT throws_ok($$SET LOCAL sched.default_country_code = '1234'$$, '22023',
  'invalid value for parameter "sched.default_country_code": "1234"', 'a four-digit country code is refused');
SELECT throws_ok($$SET LOCAL sched.max_days_ahead = -1$$, '22023',
  '-1 is outside the valid range for parameter "sched.max_days_ahead" (0 .. 3650)', 'a negative window is refused');
SELECT throws_ok($$SET LOCAL sched.visit_intent_points = 1001$$, '22023',
  '1001 is outside the valid range for parameter "sched.visit_intent_points" (0 .. 1000)', 'over 1000 points is refused');

-- ---------------------------------------------------------------------
-- PT404: no such row
-- ---------------------------------------------------------------------
SELECT pg_temp.refused($$SELECT sched.set_visit_status(-1, 'confirmed')$$, 'PT404', 'visit -1 does not exist',
  'set_visit_status of a missing visit: PT404');
SELECT pg_temp.refused($$SELECT sched.set_visit_status(9223372036854775807, 'cancelled', 'note')$$, 'PT404',
  'visit 9223372036854775807 does not exist', 'set_visit_status of the largest bigint: PT404');
SELECT pg_temp.refused($$SELECT sched.set_callback_status(-1, 'contacted')$$, 'PT404', 'callback -1 does not exist',
  'set_callback_status of a missing callback: PT404');
SELECT pg_temp.refused(format($$SELECT sched.set_callback_status(%s, 'contacted')$$, :v + 1000000000), 'PT404',
  format('callback %s does not exist', :v + 1000000000), 'set_callback_status of an id never handed out: PT404');

-- ---------------------------------------------------------------------
-- PT409: illegal moves and full slots
-- ---------------------------------------------------------------------
SELECT pg_temp.refused(format($$SELECT sched.set_visit_status(%s, 'completed')$$, :v), 'PT409',
  'illegal visit status change from pending to completed', 'pending -> completed: PT409');
SELECT pg_temp.refused(format($$UPDATE sched.scheduled_visits SET status = 'completed' WHERE visit_id = %s$$, :v), 'PT409',
  'illegal visit status change from pending to completed', 'pending -> completed by plain UPDATE: PT409');
SELECT pg_temp.refused(format($$SELECT sched.set_callback_status(%s, 'completed')$$, :c), 'PT409',
  'illegal callback status change from pending to completed', 'callback pending -> completed: PT409');
SELECT pg_temp.refused(pg_temp.book('time_slot', quote_literal('evening')), 'PT409',
  format('no agent has room on %s in the evening slot', to_char(current_date + 2, 'YYYY-MM-DD')),
  'the only agent is full in that slot: PT409');

-- The two kinds of PT409 carry different constraint names, so a client can
-- tell an illegal move from a full slot without parsing the message.
CREATE FUNCTION pg_temp.constraint_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  state text;
  cname text;
BEGIN
  EXECUTE stmt;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, cname = CONSTRAINT_NAME;
  RETURN state || ' ' || cname;
END $$;
SELECT is(pg_temp.constraint_of(format($$SELECT sched.set_visit_status(%s, 'completed')$$, :v)),
  'PT409 sched_status_transition', 'an illegal move is PT409 with constraint name sched_status_transition');
SELECT is(pg_temp.constraint_of(pg_temp.book('time_slot', quote_literal('evening'))),
  'PT409 sched_agent_capacity', 'a full slot is PT409 with constraint name sched_agent_capacity');

-- Values that are not labels of the enums never reach sched (22P02, a 400 too).
SELECT pg_temp.refused(pg_temp.book('time_slot', quote_literal('night')), '22P02',
  'invalid input value for enum sched.time_slot: "night"', 'an unknown time slot: 22P02');
SELECT pg_temp.refused(pg_temp.callback('urgency', quote_literal('asap')), '22P02',
  'invalid input value for enum sched.urgency: "asap"', 'an unknown urgency: 22P02');
UPDATE sched.agents SET is_senior = false WHERE agent_id = :a;
SELECT pg_temp.refused(pg_temp.callback('urgency', quote_literal('urgent')), 'PT409',
  'no senior agent takes urgent callbacks', 'an urgent callback without seniors: PT409');

SELECT * FROM finish();
ROLLBACK;
