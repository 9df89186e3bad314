-- pgTAP: an agent's calendar to subscribe to (1.4): sched.agent_calendar
-- for the admins, sched.my_calendar for the agent's own token.  Which
-- visits and callbacks it holds, the UIDs, SEQUENCE and times it shares
-- with visit_ics, what it says of the customer, its range and errors,
-- and who may read it.
BEGIN;
SELECT plan(53);
\ir include/clock.sql

UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, email, login, slot_capacity, is_senior)
VALUES ('T270 Priya', '9876527001', 'priya270@example.com', 't270-priya', 10, true),
       ('T270 Other', '9876527002', NULL, 't270-other', 10, false);
UPDATE sched.agents SET handles_visits = false, handles_callbacks = false WHERE login = 't270-other';
SELECT agent_id AS a FROM sched.agents WHERE login = 't270-priya' \gset
SELECT agent_id AS b FROM sched.agents WHERE login = 't270-other' \gset
-- no business hours: a callback's deadline is its SLA from now
SET LOCAL sched.business_hours = '00:00-24:00';

SELECT visit_id AS v1 FROM sched.book_site_visit('t270_u1', 'T270 Towers', pg_temp.today() + 3, 'morning',
  'John Doe', '9876527101', 'john270@example.com', notes => 'east facing please') \gset
SELECT visit_id AS v2 FROM sched.book_site_visit('t270_u2', 'T270 Towers', pg_temp.today() + 4, 'evening',
  'Asha Rao', '9876527102') \gset
SELECT visit_id AS v3 FROM sched.book_site_visit('t270_u3', 'T270 Towers', pg_temp.today() + 5, 'afternoon',
  'Cancelled Customer', '9876527103') \gset
SELECT visit_id AS v4 FROM sched.book_site_visit('t270_u4', 'T270 Towers', pg_temp.today() + 6, 'morning',
  'Completed Customer', '9876527104') \gset
SELECT visit_id AS v5 FROM sched.book_site_visit('t270_u5', 'T270 Towers', pg_temp.today() + 40, 'morning',
  'Later Customer', '9876527105') \gset
SELECT status FROM sched.set_visit_status(:v2, 'confirmed', 'T270-RM-SECRET') \gset
SELECT status FROM sched.cancel_visit(:v3) \gset
SELECT status FROM sched.set_visit_status(:v4, 'confirmed') \gset
SELECT status FROM sched.set_visit_status(:v4, 'completed') \gset
SELECT callback_id AS c1 FROM sched.request_callback('t270_u6', 'Ravi, K', '9876527106', 'T270-REASON', 'high') \gset
SELECT callback_id AS c2 FROM sched.request_callback('t270_u7', 'Contacted Customer', '9876527107') \gset
SELECT callback_id AS c3 FROM sched.request_callback('t270_u8', 'Unanswered Customer', '9876527108', urgency => 'low') \gset
SELECT status FROM sched.set_callback_status(:c2, 'contacted') \gset
SELECT status FROM sched.set_callback_status(:c3, 'no_answer', 'T270-AGENT-NOTE') \gset

-- the calendar of the next 30 days, and one event of it by its UID
CREATE FUNCTION pg_temp.cal(agent integer, days integer DEFAULT 30) RETURNS text LANGUAGE sql AS $$
  SELECT sched.agent_calendar(agent, pg_temp.today(), pg_temp.today() + days)
$$;
CREATE FUNCTION pg_temp.event(cal text, uid text) RETURNS text LANGUAGE sql AS $$
  SELECT e FROM regexp_split_to_table(replace(cal, E'\r\n ', ''), 'BEGIN:VEVENT') e
   WHERE strpos(e, E'\r\nUID:' || uid || E'\r\n') > 0 OR starts_with(e, E'\r\nUID:' || uid || E'\r\n')
$$;
CREATE FUNCTION pg_temp.line(ics text, name text) RETURNS text LANGUAGE sql AS $$
  SELECT (regexp_match(replace(ics, E'\r\n ', ''), E'\r\n(' || name || E'[;:][^\r]*)\r\n'))[1]
$$;
CREATE FUNCTION pg_temp.uid(ics text) RETURNS text LANGUAGE sql AS $$
  SELECT substr(pg_temp.line(ics, 'UID'), 5)
$$;
CREATE FUNCTION pg_temp.events(cal text) RETURNS integer LANGUAGE sql AS $$
  SELECT (length(cal) - length(replace(cal, 'BEGIN:VEVENT', ''))) / length('BEGIN:VEVENT')
$$;
SELECT pg_temp.uid(sched.visit_ics(:v1)) AS uid1, pg_temp.uid(sched.visit_ics(:v2)) AS uid2,
       pg_temp.uid(sched.visit_ics(:v3)) AS uid3, pg_temp.uid(sched.visit_ics(:v4)) AS uid4,
       pg_temp.uid(sched.visit_ics(:v5)) AS uid5 \gset
SELECT ref || '@' || current_database() || '.sched' AS cuid1 FROM sched.callbacks WHERE callback_id = :c1 \gset
SELECT ref || '@' || current_database() || '.sched' AS cuid2 FROM sched.callbacks WHERE callback_id = :c2 \gset
SELECT ref || '@' || current_database() || '.sched' AS cuid3 FROM sched.callbacks WHERE callback_id = :c3 \gset

-- ---------------------------------------------------------------------
-- The functions
-- ---------------------------------------------------------------------
SELECT has_function('sched', 'agent_calendar', ARRAY['integer', 'date', 'date'], 'sched.agent_calendar(integer, date, date) exists');
SELECT function_returns('sched', 'agent_calendar', ARRAY['integer', 'date', 'date'], 'text', 'and returns text');
SELECT has_function('sched', 'my_calendar', ARRAY['date', 'date'], 'sched.my_calendar(date, date) exists');
SELECT is((SELECT string_agg(format('%s %s %s', provolatile, proparallel, prosecdef), ',' ORDER BY proname)
             FROM pg_proc WHERE oid IN ('sched.agent_calendar(integer,date,date)'::regprocedure,
                                        'sched.my_calendar(date,date)'::regprocedure)),
  's u t,s u t', 'both are STABLE (they answer on a hot standby), PARALLEL UNSAFE, SECURITY DEFINER');

-- ---------------------------------------------------------------------
-- What the calendar holds
-- ---------------------------------------------------------------------
SELECT pg_temp.cal(:a) AS cal \gset
SELECT ok(starts_with(:'cal', E'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n') AND right(:'cal', 15) = E'END:VCALENDAR\r\n',
  'a VCALENDAR with CRLF line ends');
SELECT ok(strpos(:'cal', 'METHOD') = 0, 'a published calendar: no METHOD (it is not an invitation)');
SELECT is(pg_temp.line(:'cal', 'X-WR-CALNAME'), 'X-WR-CALNAME:sched: T270 Priya', 'named after the agent');
SELECT ok(strpos(:'cal', E'\r\nBEGIN:VTIMEZONE\r\nTZID:' || current_setting('sched.timezone') || E'\r\n') > 0,
  'with a VTIMEZONE of sched.timezone');
SELECT is(pg_temp.events(:'cal'), 4, 'four events: two visits and two callbacks in the working queue');
SELECT ok(pg_temp.event(:'cal', :'uid1') IS NOT NULL, 'the pending visit has the UID visit_ics gives it');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'uid1'), 'STATUS'), 'STATUS:TENTATIVE', 'a pending visit is TENTATIVE');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'uid2'), 'STATUS'), 'STATUS:CONFIRMED', 'a confirmed one CONFIRMED');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'uid1'), 'DTSTART'), pg_temp.line(sched.visit_ics(:v1), 'DTSTART;TZID=[^:]+'),
  'DTSTART as visit_ics has it, with the TZID');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'uid2'), 'DTEND'), pg_temp.line(sched.visit_ics(:v2), 'DTEND;TZID=[^:]+'),
  'DTEND too');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'uid2'), 'SEQUENCE'), pg_temp.line(sched.visit_ics(:v2), 'SEQUENCE'),
  'SEQUENCE as visit_ics has it (1 after the confirmation)');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'uid1'), 'DTSTAMP'), pg_temp.line(sched.visit_ics(:v1), 'DTSTAMP'),
  'DTSTAMP too');
SELECT ok(pg_temp.event(:'cal', :'uid3') IS NULL, 'a cancelled visit is not in it');
SELECT ok(pg_temp.event(:'cal', :'uid4') IS NULL, 'nor a completed one');
SELECT ok(pg_temp.event(:'cal', :'uid5') IS NULL, 'nor one after date_to');
SELECT ok(pg_temp.event(pg_temp.cal(:a, 40), :'uid5') IS NOT NULL, 'which a longer range has');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'uid1'), 'SUMMARY'), 'SUMMARY:Site visit: T270 Towers (John Doe)',
  'the summary names the project and the customer');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'uid1'), 'DESCRIPTION'),
  E'DESCRIPTION:Site visit ' || (SELECT ref FROM sched.scheduled_visits WHERE visit_id = :v1)
  || E' to T270 Towers.\\nCustomer: John Doe\\, +919876527101\\, john270@example.com\\nCustomer''s notes: east facing please',
  'the description gives the customer''s phone, email and own notes');
SELECT ok(strpos(:'cal', 'T270-RM-SECRET') = 0 AND strpos(:'cal', 'T270-AGENT-NOTE') = 0 AND strpos(:'cal', 'T270-REASON') = 0,
  'never the agent''s notes or a callback''s reason');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'uid1'), 'ORGANIZER'), 'ORGANIZER;CN="T270 Priya":mailto:priya270@example.com',
  'the agent is the organizer');

-- callbacks: their deadlines
SELECT ok(pg_temp.event(:'cal', :'cuid1') IS NOT NULL, 'an open callback has an event with its ref as UID');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'cuid1'), 'DTSTART'),
  'DTSTART;TZID=' || current_setting('sched.timezone') || ':'
  || (SELECT to_char(due_at AT TIME ZONE current_setting('sched.timezone'), 'YYYYMMDD"T"HH24MISS')
        FROM sched.callbacks WHERE callback_id = :c1),
  'at its deadline, local to sched.timezone');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'cuid1'), 'DTEND'),
  'DTEND;TZID=' || current_setting('sched.timezone') || ':'
  || (SELECT to_char((due_at + interval '15 minutes') AT TIME ZONE current_setting('sched.timezone'), 'YYYYMMDD"T"HH24MISS')
        FROM sched.callbacks WHERE callback_id = :c1),
  'for 15 minutes');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'cuid1'), 'TRANSP'), 'TRANSP:TRANSPARENT',
  'leaving the agent''s time free (a deadline, not an appointment)');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'cuid1'), 'SUMMARY'), 'SUMMARY:Call back: Ravi\, K\, +919876527106 (high)',
  'naming the customer, the phone and the urgency');
SELECT ok(pg_temp.event(:'cal', :'cuid3') IS NOT NULL, 'an unanswered callback is still in the working queue, and in it');
SELECT is(pg_temp.line(pg_temp.event(:'cal', :'cuid3'), 'SEQUENCE'), 'SEQUENCE:1', 'its SEQUENCE counts the change');
SELECT ok(pg_temp.event(:'cal', :'cuid2') IS NULL, 'a contacted callback has left it');

-- changes show at the next read
SELECT status FROM sched.cancel_visit(:v1) \gset
SELECT ok(pg_temp.event(pg_temp.cal(:a), :'uid1') IS NULL, 'a visit cancelled since disappears');
SELECT is(pg_temp.events(pg_temp.cal(:b)), 0, 'another agent''s calendar has none of them');

-- lines as RFC 5545 wants them
SELECT is((SELECT max(octet_length(l)) <= 75 FROM regexp_split_to_table(:'cal', E'\r\n') l), true,
  'no line is longer than 75 octets');
SELECT ok(:'cal' !~ E'[^\r]\n', 'every line ends in CRLF');

-- a zone with daylight-saving time: both offsets of a year
SET LOCAL sched.timezone = 'Europe/London';
SELECT ok(strpos(pg_temp.cal(:a, 365), E'\r\nBEGIN:DAYLIGHT\r\n') > 0
          AND strpos(pg_temp.cal(:a, 365), E'\r\nTZOFFSETTO:+0100\r\n') > 0
          AND strpos(pg_temp.cal(:a, 365), E'\r\nTZOFFSETTO:+0000\r\n') > 0,
  'a year in Europe/London: its VTIMEZONE has summer time and winter time');
RESET sched.timezone;

-- ---------------------------------------------------------------------
-- Range and errors
-- ---------------------------------------------------------------------
SELECT throws_ok($$SELECT sched.agent_calendar(NULL, pg_temp.today(), pg_temp.today())$$, '22004',
  'agent_id must not be null', 'a NULL agent_id is 22004');
SELECT throws_ok($$SELECT sched.agent_calendar(1, NULL, pg_temp.today())$$, '22004',
  'date_from must not be null', 'a NULL date_from too');
SELECT throws_ok($$SELECT sched.agent_calendar(1, pg_temp.today(), NULL)$$, '22004',
  'date_to must not be null', 'and date_to');
SELECT throws_ok($$SELECT sched.agent_calendar(1, pg_temp.today(), pg_temp.today() - 1)$$, '22023',
  'date_from must not be after date_to', 'a range backwards is 22023');
SELECT throws_ok($$SELECT sched.agent_calendar(1, pg_temp.today(), pg_temp.today() + 366)$$, '22023',
  'a calendar covers at most 366 days', '367 days are too many (22023)');
SELECT lives_ok(format('SELECT sched.agent_calendar(%s, pg_temp.today(), pg_temp.today() + 365)', :a),
  '366 days are not');
SELECT throws_ok($$SELECT sched.agent_calendar(1, '-infinity', pg_temp.today())$$, '22023',
  'date_from is out of range', 'an infinite date is 22023');
SELECT throws_ok($$SELECT sched.agent_calendar(-1, pg_temp.today(), pg_temp.today())$$, 'PT404',
  'agent -1 does not exist', 'an agent that does not exist is PT404');

-- ---------------------------------------------------------------------
-- Who may read it
-- ---------------------------------------------------------------------
CREATE ROLE t270_admin NOLOGIN;
CREATE ROLE t270_customer NOLOGIN;
CREATE ROLE t270_agent NOLOGIN;
CREATE ROLE t270_worker NOLOGIN;
SELECT sched.grant_admin_calls('t270_admin');
SELECT sched.grant_customer_calls('t270_customer');
SELECT sched.grant_agent_calls('t270_agent');
SELECT sched.grant_worker_calls('t270_worker');
SELECT is(ARRAY[has_function_privilege('t270_admin', 'sched.agent_calendar(integer,date,date)', 'EXECUTE'),
                has_function_privilege('t270_customer', 'sched.agent_calendar(integer,date,date)', 'EXECUTE'),
                has_function_privilege('t270_agent', 'sched.agent_calendar(integer,date,date)', 'EXECUTE'),
                has_function_privilege('t270_worker', 'sched.agent_calendar(integer,date,date)', 'EXECUTE'),
                has_function_privilege('public', 'sched.agent_calendar(integer,date,date)', 'EXECUTE')],
  ARRAY[true, false, false, false, false], 'agent_calendar: the admins only');
SELECT is(ARRAY[has_function_privilege('t270_agent', 'sched.my_calendar(date,date)', 'EXECUTE'),
                has_function_privilege('t270_admin', 'sched.my_calendar(date,date)', 'EXECUTE'),
                has_function_privilege('t270_customer', 'sched.my_calendar(date,date)', 'EXECUTE'),
                has_function_privilege('t270_worker', 'sched.my_calendar(date,date)', 'EXECUTE'),
                has_function_privilege('public', 'sched.my_calendar(date,date)', 'EXECUTE')],
  ARRAY[true, false, false, false, false], 'my_calendar: the agents only');

SET ROLE t270_admin;
SELECT is(pg_temp.events(sched.agent_calendar(:a, pg_temp.today(), pg_temp.today() + 30)), 3,
  'an admin reads an agent''s calendar');
RESET ROLE;
SET ROLE t270_customer;
SELECT throws_ok(format('SELECT sched.agent_calendar(%s, current_date, current_date)', :a), '42501', NULL,
  'a customer may not (42501)');
RESET ROLE;

SET ROLE t270_agent;
SELECT set_config('request.jwt.claims', '{"sub": "t270-priya"}', true) IS NULL AS ignored \gset
SELECT throws_ok(format('SELECT sched.agent_calendar(%s, current_date, current_date)', :a), '42501', NULL,
  'an agent may not read agent_calendar');
RESET ROLE;
SELECT sched.agent_calendar(:a, (now() AT TIME ZONE current_setting('sched.timezone'))::date,
                            (now() AT TIME ZONE current_setting('sched.timezone'))::date + 30) AS admin_cal \gset
SET ROLE t270_agent;
SELECT is(sched.my_calendar((now() AT TIME ZONE current_setting('sched.timezone'))::date,
                            (now() AT TIME ZONE current_setting('sched.timezone'))::date + 30),
          :'admin_cal', 'my_calendar is the calling agent''s agent_calendar');
SELECT set_config('request.jwt.claims', '{"sub": "t270-nobody"}', true) IS NULL AS ignored \gset
SELECT throws_ok($$SELECT sched.my_calendar(current_date, current_date)$$, '42501',
  'the user of the request is not an active agent', 'my_calendar of a user who is no agent is 42501');
SELECT set_config('request.jwt.claims', '{"sub": "t270-priya"}', true) IS NULL AS ignored \gset
SELECT throws_ok($$SELECT sched.my_calendar(NULL, current_date)$$, '22004', 'date_from must not be null',
  'my_calendar checks its days as agent_calendar does');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
