-- pgTAP: WhatsApp as a channel (1.4).  A customer who opted in and chose
-- WhatsApp (sched.set_my_channel, sched.set_channel_for) gets the texts
-- SMS would carry on WhatsApp instead, email unchanged; without the
-- opt-in never on WhatsApp.  Within 24 hours of the customer's last
-- WhatsApp message (chat_turn records it) render_message gives the text;
-- outside, the approved template with its ordered parameters.
BEGIN;
SELECT plan(36);
-- the reminders are written with the booking here (the horizon's own rule: 115_reminder_horizon.sql)
SET LOCAL sched.reminder_horizon = '30 days';
\ir include/clock.sql

SET LOCAL sched.business_hours = '00:00-24:00';
UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('T310 Priya', '9876531001', 10);
CREATE ROLE t310_customer NOLOGIN;
SELECT sched.grant_customer_calls('t310_customer') IS NULL AS g \gset

CREATE FUNCTION pg_temp.rendered(v bigint, tpl text, ch text DEFAULT 'sms')
RETURNS TABLE (channel text, body text, template_name text, language text, parameters jsonb) LANGUAGE sql AS $$
  SELECT r.channel, r.body, r.template_name, r.language, r.parameters
    FROM sched.outbox o, sched.render_message(o.job_id) r
   WHERE o.entity = 'visit' AND o.entity_id = v AND o.template = tpl AND o.channel::text = ch
   ORDER BY o.job_id DESC LIMIT 1
$$;

-- the customer chooses WhatsApp, with the opt-in
SET LOCAL ROLE t310_customer;
SELECT set_config('request.jwt.claims', '{"sub": "t310_wa"}', true) IS NOT NULL AS c \gset
SELECT results_eq($$SELECT preferred_channel::text, whatsapp_opt_in_at IS NOT NULL FROM sched.set_my_channel('whatsapp', true)$$,
  $$VALUES ('whatsapp', true)$$, 'set_my_channel records the choice and the opt-in');
SELECT throws_ok($$SELECT * FROM sched.set_my_channel('whatsapp', false)$$, '22023', 'WhatsApp needs the customer''s opt-in',
  'WhatsApp without the opt-in: 22023');
SELECT throws_ok($$SELECT * FROM sched.set_my_channel('email', true)$$, '22023', 'channel must be sms or whatsapp',
  'email is no channel of texts');
SELECT throws_ok($$SELECT * FROM sched.set_my_channel(NULL, true)$$, '22004', NULL, 'channel is required');
SELECT throws_ok($$SELECT * FROM sched.set_channel_for('t310_other', 'sms', false)$$, '42501', NULL,
  'a customer cannot set another''s channel');
SELECT set_config('request.jwt.claims', '{"role": "t310_customer"}', true) IS NOT NULL AS c \gset
SELECT throws_ok($$SELECT * FROM sched.set_my_channel('sms', false)$$, '42501', NULL, 'no user in the request: 42501');
RESET ROLE;
SELECT whatsapp_opt_in_at AS first_opt_in FROM sched.user_profiles WHERE user_id = 't310_wa' \gset
SELECT results_eq($$SELECT preferred_channel::text FROM sched.set_channel_for('t310_wa', 'whatsapp', true)$$,
  $$VALUES ('whatsapp')$$, 'the back end may record it too');
SELECT is((SELECT whatsapp_opt_in_at FROM sched.user_profiles WHERE user_id = 't310_wa'), :'first_opt_in'::timestamptz,
  'an opt-in keeps its first time while it stands');

-- her booking's texts go on WhatsApp; outside the window as templates
SELECT visit_id AS v1, ref AS ref1 FROM sched.book_site_visit('t310_wa', 'T310 Towers', pg_temp.today() + 4, 'morning',
  'Asha Rao', '9876531101', 'asha310@example.com') \gset
SELECT is((SELECT count(*)::int FROM sched.outbox WHERE entity = 'visit' AND entity_id = :v1 AND channel = 'whatsapp'), 0,
  'the jobs stay as queued (sms)');
SELECT results_eq(format($$SELECT channel, template_name, language FROM pg_temp.rendered(%s, 'visit_booked')$$, :v1),
  $$VALUES ('whatsapp', 'sched_visit_booked', 'en')$$, 'but go on WhatsApp, as a template outside the window');
SELECT is((SELECT parameters FROM pg_temp.rendered(:v1, 'visit_booked')),
  jsonb_build_array('T310 Towers', split_part(sched.slot_label(pg_temp.today() + 4, 'morning'), ' IST', 1),
                    'T310 Priya (+91 98765 31001)', :'ref1'),
  'with its parameters in order: project, when, the RM, the ref');
SELECT results_eq(format($$SELECT template_name, jsonb_array_length(parameters) FROM pg_temp.rendered(%s, 'visit_reminder_24h')$$, :v1),
  $$VALUES ('sched_visit_reminder_24h', 4)$$, 'the reminder too');
SELECT results_eq(format($$SELECT channel, template_name IS NULL FROM pg_temp.rendered(%s, 'visit_booked', 'email')$$, :v1),
  $$VALUES ('email', true)$$, 'email is unchanged');
SELECT results_eq(format($$SELECT channel, template_name IS NULL FROM pg_temp.rendered(%s, 'visit_assigned', 'agent')$$, :v1),
  $$VALUES ('agent', true)$$, 'and so is the agent''s note');
SELECT ok((SELECT body FROM pg_temp.rendered(:v1, 'visit_booked')) ~ '^Site visit booked: T310 Towers',
  'the body is there too, for logs and for inside the window');

-- within 24 hours of her last WhatsApp message: text
SELECT state AS s FROM sched.chat_turn_for('t310_wa', 'whatsapp', 'w1', 'thanks!') \gset
SELECT results_eq(format($$SELECT channel, template_name IS NULL, parameters IS NULL FROM pg_temp.rendered(%s, 'visit_booked')$$, :v1),
  $$VALUES ('whatsapp', true, true)$$, 'inside the window: free text');
UPDATE sched.chat_sessions SET whatsapp_inbound_at = now() - interval '25 hours' WHERE user_id = 't310_wa';
SELECT is((SELECT template_name FROM pg_temp.rendered(:v1, 'visit_booked')), 'sched_visit_booked',
  'a day later the window is closed again');
SELECT state AS s FROM sched.chat_turn_for('t310_wa', 'sms', 'w2', 'hello by sms') \gset
SELECT is((SELECT template_name FROM pg_temp.rendered(:v1, 'visit_booked')), 'sched_visit_booked',
  'an SMS does not open WhatsApp''s window');
SET LOCAL ROLE t310_customer;
SELECT set_config('request.jwt.claims', '{"sub": "t310_wa"}', true) IS NOT NULL AS c \gset
SELECT state AS s FROM sched.chat_turn('whatsapp', 'w3', 'hello from the web app') \gset
RESET ROLE;
SELECT is((SELECT template_name FROM pg_temp.rendered(:v1, 'visit_booked')), 'sched_visit_booked',
  'nor does the customer''s own call naming whatsapp: only the webhook (chat_turn_for) saw a WhatsApp message');

-- a cancellation goes the same way
SELECT status AS st FROM sched.cancel_visit(:v1) \gset
SELECT results_eq(format($$SELECT channel, template_name FROM pg_temp.rendered(%s, 'visit_cancelled')$$, :v1),
  $$VALUES ('whatsapp', 'sched_visit_cancelled')$$, 'the cancellation on WhatsApp');

-- the opt-in withdrawn: back to SMS, for jobs already queued too
SELECT results_eq($$SELECT preferred_channel::text, whatsapp_opt_in_at FROM sched.set_channel_for('t310_wa', 'sms', false)$$,
  $$VALUES ('sms', NULL::timestamptz)$$, 'opt_in false withdraws it');
SELECT results_eq(format($$SELECT channel, template_name FROM pg_temp.rendered(%s, 'visit_cancelled')$$, :v1),
  $$VALUES ('sms', NULL::text)$$, 'and the texts go by SMS again');

-- never on WhatsApp without the opt-in, even a job queued for it
SELECT visit_id AS v2 FROM sched.book_site_visit('t310_sms', 'T310 Towers', pg_temp.today() + 5, 'morning',
  'Ravi Kumar', '9876531102') \gset
INSERT INTO sched.outbox (entity, entity_id, channel, recipient, template, payload, run_at)
SELECT entity, entity_id, 'whatsapp', recipient, template, payload, run_at FROM sched.outbox
 WHERE entity = 'visit' AND entity_id = :v2 AND template = 'visit_booked' AND channel = 'sms';
SELECT results_eq(format($$SELECT channel, template_name FROM pg_temp.rendered(%s, 'visit_booked', 'whatsapp')$$, :v2),
  $$VALUES ('sms', NULL::text)$$, 'a WhatsApp job of a customer who did not opt in goes by SMS');
SELECT results_eq(format($$SELECT channel FROM pg_temp.rendered(%s, 'visit_booked')$$, :v2),
  $$VALUES ('sms')$$, 'and the SMS stays SMS');

-- opted in but chose SMS: SMS
SELECT results_eq($$SELECT preferred_channel::text, whatsapp_opt_in_at IS NOT NULL FROM sched.set_channel_for('t310_sms', 'sms', true)$$,
  $$VALUES ('sms', true)$$, 'an opt-in with SMS chosen');
SELECT is((SELECT channel FROM pg_temp.rendered(:v2, 'visit_booked')), 'sms', 'keeps SMS');
SELECT results_eq(format($$SELECT channel, template_name FROM pg_temp.rendered(%s, 'visit_booked', 'whatsapp')$$, :v2),
  $$VALUES ('whatsapp', 'sched_visit_booked')$$, 'while a job queued for WhatsApp may go there');

-- a callback's confirmation as a template
SELECT set_channel_for AS x FROM sched.set_channel_for('t310_cb', 'whatsapp', true) \gset
SELECT callback_id AS c1, ref AS cref FROM sched.request_callback('t310_cb', 'Neha Joshi', '9876531103', urgency => 'high') \gset
SELECT results_eq(format($$SELECT r.channel, r.template_name, r.parameters FROM sched.outbox o, sched.render_message(o.job_id) r
                           WHERE o.entity = 'callback' AND o.entity_id = %s AND o.template = 'callback_requested' AND o.channel = 'sms'$$, :c1),
  format($$VALUES ('whatsapp', 'sched_callback_requested', jsonb_build_array(%L, 'T310 Priya', 'within 1-2 hours'))$$, :'cref'),
  'a callback request: ref, agent and how soon');

-- the opt-in is a record in the profile; agents' notes are never templates
SELECT is((SELECT count(*)::int FROM sched.user_profiles WHERE user_id = 't310_cb' AND whatsapp_opt_in_at IS NOT NULL), 1,
  'the opt-in is kept in the profile');
SELECT is((SELECT template_name FROM sched.render_message((SELECT min(job_id) FROM sched.outbox WHERE entity = 'visit' AND entity_id = :v2 AND channel = 'agent'))), NULL,
  'an agent''s note never has a template');

-- bad input writes nothing
SELECT count(*) AS profiles_before FROM sched.user_profiles \gset
SELECT throws_ok($$SELECT * FROM sched.set_channel_for('t310_new', 'whatsapp', NULL)$$, '22004', NULL, 'opt_in is required');
SELECT throws_ok($$SELECT * FROM sched.set_channel_for(NULL, 'sms', false)$$, '22004', NULL, 'user_id is required');
SELECT throws_ok($$SELECT * FROM sched.set_channel_for(repeat('u', 201), 'sms', false)$$, '22023', NULL, 'a user_id over 200 characters');
SELECT throws_ok($$SELECT * FROM sched.set_channel_for('t310_new', 'agent', true)$$, '22023', 'channel must be sms or whatsapp', 'the agents'' channel');
SELECT throws_ok($$SELECT * FROM sched.set_channel_for('t310_new', 'fax', true)$$, '22P02', NULL, 'a channel that is none');
SELECT is((SELECT count(*) FROM sched.user_profiles), :profiles_before::bigint, 'none of them made a profile');

SELECT * FROM finish();
ROLLBACK;
