-- pgTAP: the worker's calls (1.1): claim_jobs takes due jobs for a lease,
-- complete_job and fail_job finish them; failed jobs come back after a
-- growing delay and die after sched.job_max_attempts attempts; a job
-- whose lease ran out goes to the next claim.  Two workers claiming at
-- once are covered by test/specs/two_workers.spec.
BEGIN;
SELECT plan(57);
-- the reminders are written with the booking here (the horizon's own rule: 115_reminder_horizon.sql)
SET LOCAL sched.reminder_horizon = '30 days';

UPDATE sched.agents SET active = false;
DELETE FROM sched.outbox;
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('T100 Agent', '9876500100', 10);
SELECT visit_id AS v FROM sched.book_site_visit('t100_u', 'Brigade Citrine', current_date + 5, 'morning',
  'Worker Test', '9876543100', 'w@example.com') \gset

SELECT has_function('sched', 'claim_jobs', ARRAY['text', 'integer', 'interval'], 'claim_jobs exists');
SELECT has_function('sched', 'complete_job', ARRAY['bigint'], 'complete_job exists');
SELECT has_function('sched', 'fail_job', ARRAY['bigint', 'text'], 'fail_job exists');
SELECT has_function('sched', 'fail_job_permanently', ARRAY['bigint', 'text'], 'fail_job_permanently exists (1.4)');
SELECT function_returns('sched', 'claim_jobs', ARRAY['text', 'integer', 'interval'], 'setof sched.outbox',
  'claim_jobs returns outbox rows');

-- ---------------------------------------------------------------------
-- claim: only due jobs (the reminders wait for their time), oldest first
-- ---------------------------------------------------------------------
CREATE TEMP TABLE got AS SELECT * FROM sched.claim_jobs('worker-1');
SELECT results_eq($$SELECT template, channel::text FROM got ORDER BY job_id$$,
  $$VALUES ('visit_booked', 'sms'), ('visit_booked', 'email'), ('visit_assigned', 'agent')$$,
  'claim_jobs takes the three due jobs of the booking, not its reminders');
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE template LIKE 'visit_reminder%' AND state = 'pending'), 3,
  'the three reminders stay pending until their time');
SELECT results_eq($$SELECT DISTINCT state::text, claimed_by, attempts, lease_until = now() + interval '5 minutes' FROM got$$,
  $$VALUES ('claimed', 'worker-1', 1, true)$$,
  'claimed jobs carry the worker, one attempt and a lease of five minutes (the default)');
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE state = 'claimed' AND claimed_by = 'worker-1'), 3,
  'the claim is stored');
SELECT is((SELECT count(*)::int FROM sched.claim_jobs('worker-2')), 0,
  'jobs under a live lease are not claimed again');
SELECT is((SELECT array_agg(job_id ORDER BY job_id) FROM got),
          (SELECT array_agg(job_id ORDER BY run_at, job_id) FROM got), 'claimed jobs come oldest first');

-- max_jobs limits the claim
UPDATE sched.outbox SET state = 'pending', claimed_by = NULL, lease_until = NULL, attempts = 0
 WHERE job_id IN (SELECT job_id FROM got);
SELECT is((SELECT count(*)::int FROM sched.claim_jobs('worker-1', 2, '1 minute')), 2, 'max_jobs 2 claims two');
SELECT is((SELECT count(*)::int FROM sched.claim_jobs('worker-1', 2, '1 minute')), 1, 'and the next claim takes the third');
SELECT is((SELECT max(lease_until) FROM sched.outbox WHERE claimed_by = 'worker-1'), now() + interval '1 minute',
  'the lease given is kept');

-- ---------------------------------------------------------------------
-- complete
-- ---------------------------------------------------------------------
SELECT job_id AS j1 FROM got ORDER BY job_id LIMIT 1 \gset
SELECT job_id AS j2 FROM got ORDER BY job_id OFFSET 1 LIMIT 1 \gset
SELECT job_id AS j3 FROM got ORDER BY job_id OFFSET 2 LIMIT 1 \gset
SELECT results_eq(format('SELECT state::text, done_at = now(), lease_until IS NULL FROM sched.complete_job(%s)', :j1),
  $$VALUES ('done', true, true)$$, 'complete_job makes a claimed job done');
SELECT throws_ok(format('SELECT sched.complete_job(%s)', :j1), 'PT409', NULL,
  'completing a done job again is a conflict (409)');
SELECT throws_like(format('SELECT sched.complete_job(%s)', :j1), '%is done, not claimed%',
  'and the message says what the job is');
SELECT throws_ok('SELECT sched.complete_job(-1)', 'PT404', 'job -1 does not exist', 'an unknown job is 404');
SELECT throws_ok('SELECT sched.complete_job(NULL)', '22004', NULL, 'job_id is required');

-- ---------------------------------------------------------------------
-- fail: backoff, then dead
-- ---------------------------------------------------------------------
SELECT results_eq(format('SELECT state::text, run_at = now() + interval ''1 minute'', last_error, lease_until IS NULL FROM sched.fail_job(%s, %L)', :j2, 'smtp said 451'),
  $$VALUES ('pending', true, 'smtp said 451', true)$$,
  'a first failure puts the job back, due again in one minute');
SELECT is((SELECT count(*)::int FROM sched.claim_jobs('worker-1') WHERE job_id = :j2), 0,
  'a failed job is not claimed before its retry time');
UPDATE sched.outbox SET run_at = now() - interval '1 second' WHERE job_id = :j2;
SELECT is((SELECT attempts FROM sched.claim_jobs('worker-1') WHERE job_id = :j2), 2, 'once due it is claimed again: attempt 2');
SELECT is((SELECT run_at FROM sched.fail_job(:j2, 'timeout')), now() + interval '2 minutes',
  'the second failure waits two minutes');
UPDATE sched.outbox SET run_at = now() - interval '1 second', attempts = 3 WHERE job_id = :j2;
SELECT is((SELECT attempts FROM sched.claim_jobs('worker-1') WHERE job_id = :j2), 4, 'attempt 4');
SELECT is((SELECT run_at FROM sched.fail_job(:j2, 'timeout')), now() + interval '8 minutes',
  'the fourth failure waits eight minutes');
UPDATE sched.outbox SET run_at = now() - interval '1 second' WHERE job_id = :j2;
SELECT is((SELECT attempts FROM sched.claim_jobs('worker-1') WHERE job_id = :j2), 5, 'attempt 5 (sched.job_max_attempts)');
SELECT results_eq(format('SELECT state::text, last_error, done_at = now() FROM sched.fail_job(%s, %L)', :j2, 'gave up'),
  $$VALUES ('dead', 'gave up', true)$$, 'failing the last attempt leaves the job dead, with its error');
SELECT throws_ok(format('SELECT sched.fail_job(%s, %L)', :j2, 'again'), 'PT409', NULL, 'a dead job cannot fail again');
SELECT is((SELECT count(*)::int FROM sched.claim_jobs('worker-1') WHERE job_id = :j2), 0, 'a dead job is never claimed');

SET sched.job_max_attempts = 1;
SELECT results_eq(format('SELECT state::text FROM sched.fail_job(%s, %L)', :j3, 'no'),
  $$VALUES ('dead')$$, 'sched.job_max_attempts = 1: the first failure is final');
RESET sched.job_max_attempts;

-- a provider's refusal for good (1.4): fail_job retries, and
-- fail_job_permanently makes the job dead at once, with the reason
SELECT job_id AS p FROM sched.outbox WHERE entity_id = :v AND template = 'visit_reminder_24h' AND channel = 'email' \gset
UPDATE sched.outbox SET run_at = now() - interval '1 second' WHERE job_id = :p;
SELECT is((SELECT attempts FROM sched.claim_jobs('worker-1') WHERE job_id = :p), 1, 'a reminder claimed: attempt 1');
SELECT results_eq(format('SELECT state::text, attempts, run_at = now() + interval ''1 minute'' FROM sched.fail_job(%s, %L)', :p, 'smtp 451'),
  $$VALUES ('pending', 1, true)$$, 'a passing failure: back after the backoff');
UPDATE sched.outbox SET run_at = now() - interval '1 second' WHERE job_id = :p;
SELECT is((SELECT attempts FROM sched.claim_jobs('worker-1') WHERE job_id = :p), 2, 'claimed again: attempt 2');
SELECT results_eq(format('SELECT state::text, last_error, done_at = now() FROM sched.fail_job_permanently(%s, %L)', :p, 'smtp 550: no such mailbox'),
  $$VALUES ('dead', 'smtp 550: no such mailbox', true)$$,
  'a refusal for good: dead at once, with the provider''s reason, long before sched.job_max_attempts');
SELECT throws_ok(format('SELECT sched.fail_job_permanently(%s, %L)', :p, 'again'), 'PT409', NULL,
  'a dead job cannot fail again');
SELECT is((SELECT count(*)::int FROM sched.claim_jobs('worker-1') WHERE job_id = :p), 0, 'and never claimed again');

-- ---------------------------------------------------------------------
-- leases that run out
-- ---------------------------------------------------------------------
SELECT job_id AS r FROM sched.outbox WHERE entity_id = :v AND template = 'visit_reminder_1h' \gset
UPDATE sched.outbox SET run_at = now() - interval '1 second' WHERE job_id = :r;
SELECT is((SELECT claimed_by FROM sched.claim_jobs('worker-1') WHERE job_id = :r), 'worker-1', 'worker-1 claims a reminder');
UPDATE sched.outbox SET lease_until = now() - interval '1 second' WHERE job_id = :r;
SELECT results_eq(format('SELECT claimed_by, attempts FROM sched.claim_jobs(%L) WHERE job_id = %s', 'worker-2', :r),
  $$VALUES ('worker-2', 2)$$, 'when the lease has run out, the next claim (worker-2) takes the job');
SELECT lives_ok(format('SELECT sched.complete_job(%s)', :r), 'and worker-2 completes it');

-- ---------------------------------------------------------------------
-- bad input: a clear error and nothing written
-- ---------------------------------------------------------------------
SELECT count(*) AS claimed_before FROM sched.outbox WHERE state = 'claimed' \gset
SELECT throws_ok($$SELECT * FROM sched.claim_jobs(NULL)$$, '22004', NULL, 'worker is required');
SELECT throws_ok($$SELECT * FROM sched.claim_jobs('w', NULL)$$, '22004', NULL, 'max_jobs is required');
SELECT throws_ok($$SELECT * FROM sched.claim_jobs('w', 10, NULL)$$, '22004', NULL, 'lease is required');
SELECT throws_ok($$SELECT * FROM sched.claim_jobs('  ')$$, '22023', NULL, 'a blank worker is refused');
SELECT throws_ok($$SELECT * FROM sched.claim_jobs('w', 0)$$, '22023', NULL, 'max_jobs 0 is refused');
SELECT throws_ok($$SELECT * FROM sched.claim_jobs('w', 1001)$$, '22023', NULL, 'max_jobs over 1000 is refused');
SELECT throws_ok($$SELECT * FROM sched.claim_jobs('w', 1, '0 seconds')$$, '22023', NULL, 'a zero lease is refused');
SELECT throws_ok($$SELECT * FROM sched.claim_jobs('w', 1, '2 days')$$, '22023', NULL, 'a lease over a day is refused');
SELECT throws_ok($$SELECT sched.fail_job(1, NULL)$$, '22004', NULL, 'error is required');
SELECT throws_ok($$SELECT sched.fail_job(1, '')$$, '22023', NULL, 'a blank error is refused');
SELECT throws_ok($$SELECT sched.fail_job_permanently(1, NULL)$$, '22004', NULL, 'its error is required too');
SELECT throws_ok($$SELECT sched.fail_job_permanently(NULL, 'x')$$, '22004', NULL, 'and its job_id');
SELECT is((SELECT count(*) FROM sched.outbox WHERE state = 'claimed'), :claimed_before::bigint,
  'the refused calls claimed nothing');

-- ---------------------------------------------------------------------
-- render_message
-- ---------------------------------------------------------------------
SELECT results_eq(format('SELECT channel, recipient, subject IS NULL, body LIKE %L FROM sched.render_message(%s)',
                         'Site visit booked: Brigade Citrine, %', :j1),
  $$VALUES ('sms', '+919876543100', true, true)$$, 'render_message gives an sms its text, without a subject');
SELECT throws_ok('SELECT * FROM sched.render_message(NULL)', '22004', NULL, 'render_message: job_id is required');
SELECT throws_ok('SELECT * FROM sched.render_message(-1)', 'PT404', NULL, 'render_message: an unknown job is 404');
-- a job not sent yet (a sent one keeps its state, 1.3)
SELECT job_id AS r FROM sched.outbox WHERE state = 'pending' ORDER BY job_id LIMIT 1 \gset
UPDATE sched.outbox SET template = 'no_such_template' WHERE job_id = :r;
SELECT throws_ok(format('SELECT * FROM sched.render_message(%s)', :r), '22023', NULL,
  'render_message: a template sched does not write is 22023');
UPDATE sched.outbox SET state = 'cancelled' WHERE job_id = :r;
SELECT throws_ok(format('SELECT * FROM sched.render_message(%s)', :r), 'PT409', NULL,
  'render_message refuses a cancelled job (409): it must not be sent');

SELECT * FROM finish();
ROLLBACK;
