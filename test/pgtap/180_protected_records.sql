-- pgTAP: records that cannot be edited behind the rules (1.3), whoever
-- writes, the DBA's plain statements included: visits and callbacks are
-- never deleted, the history is append-only, outbox jobs move only as the
-- worker's calls move them (a sent job is never made pending again), and
-- TRUNCATE needs sched.allow_truncate.
BEGIN;
SELECT plan(32);
-- the reminders are written with the booking here (the horizon's own rule: 115_reminder_horizon.sql)
SET LOCAL sched.reminder_horizon = '30 days';
\ir include/clock.sql

UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, is_senior, slot_capacity) VALUES ('T180 Agent', '9876501801', true, 10);
SET LOCAL sched.business_hours = '00:00-24:00';
SELECT visit_id AS v FROM sched.book_site_visit('t180_user', 'T180 Towers', pg_temp.today() + 3, 'morning',
                                                'Protected', '9876518001') \gset
SELECT callback_id AS c FROM sched.request_callback('t180_user', 'Protected', '9876518001') \gset

CREATE FUNCTION pg_temp.written() RETURNS text LANGUAGE sql AS $$
  SELECT format('visits %s, callbacks %s, history %s, outbox %s/%s',
                (SELECT count(*) FROM sched.scheduled_visits), (SELECT count(*) FROM sched.callbacks),
                (SELECT count(*) FROM sched.status_history), (SELECT count(*) FROM sched.outbox),
                (SELECT string_agg(state::text, ',' ORDER BY job_id) FROM sched.outbox))
$$;
SELECT pg_temp.written() AS before \gset

-- ---------------------------------------------------------------------
-- No DELETE of bookings
-- ---------------------------------------------------------------------
SELECT throws_ok(format('DELETE FROM sched.scheduled_visits WHERE visit_id = %s', :v), '0A000',
  'cannot delete from sched.scheduled_visits', 'a DBA cannot delete a visit (0A000)');
SELECT throws_ok(format('DELETE FROM sched.callbacks WHERE callback_id = %s', :c), '0A000',
  'cannot delete from sched.callbacks', 'nor a callback');
SELECT throws_ok('DELETE FROM sched.scheduled_visits', '0A000', NULL, 'nor all of them');

-- ---------------------------------------------------------------------
-- The history is append-only
-- ---------------------------------------------------------------------
SELECT throws_ok(format($$UPDATE sched.status_history SET note = 'rewritten' WHERE entity = 'visit' AND entity_id = %s$$, :v),
  '0A000', 'cannot update sched.status_history rows', 'a history row cannot be edited');
SELECT throws_ok(format($$DELETE FROM sched.status_history WHERE entity = 'visit' AND entity_id = %s$$, :v),
  '0A000', 'cannot delete sched.status_history rows', 'nor deleted');

-- ---------------------------------------------------------------------
-- TRUNCATE only with sched.allow_truncate
-- ---------------------------------------------------------------------
SELECT throws_ok('TRUNCATE sched.scheduled_visits, sched.visit_feedback', '0A000', 'cannot truncate sched.scheduled_visits',
  'TRUNCATE of the visits is refused');
SELECT throws_ok('TRUNCATE sched.callbacks', '0A000', 'cannot truncate sched.callbacks', 'so is the callbacks''');
SELECT throws_ok('TRUNCATE sched.status_history', '0A000', 'cannot truncate sched.status_history', 'the history''s');
SELECT throws_ok('TRUNCATE sched.outbox', '0A000', 'cannot truncate sched.outbox', 'and the outbox''s');
SELECT is(pg_temp.written(), :'before', 'nothing refused changed anything');
CREATE ROLE t180_dba_helper NOLOGIN;
SET ROLE t180_dba_helper;
SELECT throws_ok('SET sched.allow_truncate = on', '42501', NULL, 'only a superuser may allow TRUNCATE');
RESET ROLE;
SAVEPOINT before_truncate;
SET LOCAL sched.allow_truncate = on;
SELECT lives_ok('TRUNCATE sched.visit_feedback, sched.scheduled_visits, sched.callbacks, sched.status_history, sched.outbox',
  'with sched.allow_truncate a superuser empties them (resetting a test database)');
ROLLBACK TO SAVEPOINT before_truncate;
SELECT is(current_setting('sched.allow_truncate'), 'off', 'the setting went with the savepoint');

-- ---------------------------------------------------------------------
-- Outbox jobs move as the worker's calls move them
-- ---------------------------------------------------------------------
SELECT job_id AS j FROM sched.outbox WHERE entity = 'visit' AND entity_id = :v AND state = 'pending'
 ORDER BY job_id LIMIT 1 \gset
SELECT throws_ok(format($$UPDATE sched.outbox SET state = 'done' WHERE job_id = %s$$, :j), 'PT409',
  'an outbox job cannot move from pending to done', 'a pending job cannot be marked sent without being claimed');
SELECT throws_ok(format($$UPDATE sched.outbox SET state = 'dead' WHERE job_id = %s$$, :j), 'PT409',
  'an outbox job cannot move from pending to dead', 'nor dead');
SELECT lives_ok(format($$UPDATE sched.outbox SET run_at = now() - interval '1 second' WHERE job_id = %s$$, :j),
  'a pending job''s other columns can change (its time, here)');
SELECT is((SELECT count(*)::int FROM sched.claim_jobs('t180-worker', 1000) WHERE job_id = :j), 1, 'the worker claims it');
SELECT lives_ok(format('SELECT sched.complete_job(%s)', :j), 'and completes it: claimed -> done');
SELECT throws_ok(format($$UPDATE sched.outbox SET state = 'pending' WHERE job_id = %s$$, :j), 'PT409',
  'an outbox job cannot move from done to pending', 'a sent job is never made pending again (it would be sent twice)');
SELECT throws_ok(format($$UPDATE sched.outbox SET state = 'cancelled' WHERE job_id = %s$$, :j), 'PT409',
  'an outbox job cannot move from done to cancelled', 'nor cancelled after it was sent');
SELECT lives_ok(format('DELETE FROM sched.outbox WHERE job_id = %s', :j), 'a sent job may be deleted (retention)');
SELECT job_id AS p FROM sched.outbox WHERE entity = 'visit' AND entity_id = :v AND state = 'pending'
 ORDER BY job_id LIMIT 1 \gset
SELECT throws_ok(format('DELETE FROM sched.outbox WHERE job_id = %s', :p), '0A000',
  'cannot delete an outbox job that is pending', 'a job not sent yet cannot be deleted: its notification would be lost');
SELECT lives_ok(format($$UPDATE sched.outbox SET state = 'cancelled' WHERE job_id = %s$$, :p),
  'it can be cancelled');

-- retry_job: the one way back from dead
-- (the callback's messages were due at once: the claim above took them)
SELECT job_id AS d FROM sched.outbox WHERE entity = 'callback' AND entity_id = :c AND state = 'claimed'
 ORDER BY job_id LIMIT 1 \gset
SET LOCAL sched.job_max_attempts = 1;
SELECT is((SELECT state::text FROM sched.fail_job(:d, 'smtp down')), 'dead', 'and fails for good: dead');
SELECT throws_ok(format($$UPDATE sched.outbox SET state = 'pending' WHERE job_id = %s$$, :d), 'PT409',
  'an outbox job cannot move from dead to pending', 'a plain UPDATE cannot bring a dead job back');
SELECT results_eq(format('SELECT state::text, attempts, last_error, run_at <= now() FROM sched.retry_job(%s)', :d),
  $$VALUES ('pending', 0, 'smtp down', true)$$,
  'retry_job makes it pending, due now, with its attempts counted anew and its last error kept');
SELECT throws_ok(format('SELECT sched.retry_job(%s)', :d), 'PT409',
  format('job %s cannot be retried: it is pending, not dead', :d), 'only a dead job can be retried (PT409)');
SELECT throws_ok('SELECT sched.retry_job(-1)', 'PT404', 'job -1 does not exist', 'a missing job is PT404');
SELECT throws_ok('SELECT sched.retry_job(NULL)', '22004', 'job_id must not be null', 'job_id is required (22004)');
CREATE ROLE t180_admin NOLOGIN;
CREATE ROLE t180_web NOLOGIN;
SELECT sched.grant_admin_calls('t180_admin') IS NULL AS granted \gset
SELECT sched.grant_user_calls('t180_web') IS NULL AS granted \gset
SELECT ok(has_function_privilege('t180_admin', 'sched.retry_job(bigint)', 'EXECUTE')
          AND NOT has_function_privilege('t180_web', 'sched.retry_job(bigint)', 'EXECUTE'),
  'retry_job is an admin call');

-- the rules are the same for the worker's own calls: cancelling a visit
-- cancels its unsent reminders (pending -> cancelled), which is allowed
SELECT is((SELECT status::text FROM sched.cancel_visit(:v)), 'cancelled', 'a visit is cancelled');
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE entity = 'visit' AND entity_id = :v
              AND template LIKE 'visit\_reminder\_%' AND state IN ('pending', 'claimed')), 0,
  'and none of its reminders is left to send');

SELECT * FROM finish();
ROLLBACK;
