-- pgTAP: the objects sched 1.0 ships (schema, types, tables, columns,
-- indexes, functions with their exact signatures, triggers, comments).
--
-- How these files run: the runner creates the two extensions ONCE in the
-- test database, then runs every file with pg_prove:
--     psql -c 'CREATE EXTENSION pgtap; CREATE EXTENSION sched;'
--     pg_prove test/pgtap/*.sql
-- The files themselves never create or drop an extension.  Each file is one
-- transaction that ends in ROLLBACK; it creates the agents it needs and
-- never relies on ids handed out by a sequence in another file (sequences
-- do not roll back).
BEGIN;
SELECT plan(243);

-- ---------------------------------------------------------------------
-- Schema and enums
-- ---------------------------------------------------------------------
SELECT has_schema('sched', 'schema sched exists');
SELECT has_extension('sched', 'extension sched is installed');

SELECT enum_has_labels('sched', 'time_slot', ARRAY['morning', 'afternoon', 'evening'],
  'time_slot is morning, afternoon, evening in that order');
SELECT enum_has_labels('sched', 'visit_status', ARRAY['pending', 'confirmed', 'completed', 'cancelled', 'no_show'],
  'visit_status has the five workflow states in order');
SELECT enum_has_labels('sched', 'callback_status', ARRAY['pending', 'contacted', 'completed', 'no_answer'],
  'callback_status has the four workflow states in order');
SELECT enum_has_labels('sched', 'urgency', ARRAY['urgent', 'high', 'medium', 'low'],
  'urgency runs from urgent to low (so ORDER BY urgency puts urgent first)');
SELECT enum_has_labels('sched', 'job_state', ARRAY['pending', 'claimed', 'done', 'dead', 'cancelled'],
  'job_state has pending, claimed, done, dead, cancelled');
SELECT enum_has_labels('sched', 'entity', ARRAY['visit', 'callback'],
  'entity is visit or callback');
SELECT enum_has_labels('sched', 'channel', ARRAY['email', 'sms', 'whatsapp', 'agent'],
  'channel is email, sms, whatsapp or agent');

-- ---------------------------------------------------------------------
-- Tables and their columns
-- ---------------------------------------------------------------------
SELECT tables_are('sched',
  ARRAY['agents', 'scheduled_visits', 'callbacks', 'user_profiles', 'status_history', 'outbox',
        'visit_feedback', 'agent_time_off', 'project_agents', 'projects', 'agent_hours', 'holidays', 'agent_busy', 'chat_sessions'],
  'sched has exactly the six tables of the design, 1.1''s visit_feedback, agent_time_off and project_agents, 1.3''s projects and 1.4''s agent_hours, holidays, agent_busy and chat_sessions');

SELECT has_table('sched', 'agents', 'table sched.agents exists');
SELECT has_table('sched', 'scheduled_visits', 'table sched.scheduled_visits exists');
SELECT has_table('sched', 'callbacks', 'table sched.callbacks exists');
SELECT has_table('sched', 'user_profiles', 'table sched.user_profiles exists');
SELECT has_table('sched', 'status_history', 'table sched.status_history exists');
SELECT has_table('sched', 'outbox', 'table sched.outbox exists');

SELECT columns_are('sched', 'agents',
  ARRAY['agent_id', 'name', 'phone', 'email', 'is_senior', 'handles_visits', 'handles_callbacks',
        'active', 'slot_capacity', 'created_at', 'daily_visit_cap', 'login', 'weight'],
  'agents has the columns of the issue, 1.1''s daily_visit_cap, 1.3''s login and 1.4''s weight');
SELECT columns_are('sched', 'scheduled_visits',
  ARRAY['visit_id', 'ref', 'user_id', 'session_id', 'project', 'visit_date', 'time_slot',
        'contact_name', 'contact_phone', 'contact_email', 'agent_id', 'status', 'user_notes',
        'rm_notes', 'lead_score', 'created_at', 'updated_at', 'confirmed_at', 'completed_at',
        'cancelled_at', 'idempotency_key'],
  'scheduled_visits has the columns of the issue');
SELECT columns_are('sched', 'callbacks',
  ARRAY['callback_id', 'ref', 'user_id', 'session_id', 'contact_name', 'contact_phone',
        'contact_email', 'reason', 'urgency', 'due_at', 'agent_id', 'status', 'attempts',
        'last_attempt_at', 'call_duration_s', 'outcome', 'agent_notes', 'lead_score',
        'created_at', 'updated_at', 'contacted_at', 'completed_at', 'idempotency_key',
        'next_attempt_at', 'gave_up_at', 'escalated_at'],
  'callbacks has the columns of the issue and 1.1''s queue columns');
SELECT columns_are('sched', 'user_profiles',
  ARRAY['user_id', 'site_visits_scheduled', 'callbacks_requested', 'intent_points', 'lead_score',
        'updated_at', 'time_zone', 'whatsapp_opt_in_at', 'preferred_channel'],
  'user_profiles has the columns of the issue and (1.4) the customer''s time zone and channel');
SELECT columns_are('sched', 'status_history',
  ARRAY['history_id', 'entity', 'entity_id', 'from_status', 'to_status', 'changed_at',
        'changed_by', 'note'],
  'status_history has the columns of the issue');
SELECT columns_are('sched', 'outbox',
  ARRAY['job_id', 'entity', 'entity_id', 'channel', 'recipient', 'template', 'payload', 'run_at',
        'state', 'attempts', 'last_error', 'created_at', 'claimed_by', 'lease_until', 'done_at'],
  'outbox has the columns of the issue, and 1.1''s lease columns');

-- agents
SELECT col_type_is('sched', 'agents', 'agent_id', 'integer', 'agents.agent_id is integer');
SELECT col_type_is('sched', 'agents', 'name', 'text', 'agents.name is text');
SELECT col_type_is('sched', 'agents', 'phone', 'text', 'agents.phone is text');
SELECT col_type_is('sched', 'agents', 'email', 'text', 'agents.email is text');
SELECT col_type_is('sched', 'agents', 'is_senior', 'boolean', 'agents.is_senior is boolean');
SELECT col_type_is('sched', 'agents', 'handles_visits', 'boolean', 'agents.handles_visits is boolean');
SELECT col_type_is('sched', 'agents', 'handles_callbacks', 'boolean', 'agents.handles_callbacks is boolean');
SELECT col_type_is('sched', 'agents', 'active', 'boolean', 'agents.active is boolean');
SELECT col_type_is('sched', 'agents', 'slot_capacity', 'integer', 'agents.slot_capacity is integer');
SELECT col_type_is('sched', 'agents', 'created_at', 'timestamp with time zone', 'agents.created_at is timestamptz');
SELECT col_is_pk('sched', 'agents', 'agent_id', 'agents is keyed by agent_id');
SELECT col_default_is('sched', 'agents', 'slot_capacity', 1, 'an agent takes one visit per slot unless told otherwise');
SELECT col_default_is('sched', 'agents', 'active', true, 'a new agent is active');
SELECT col_default_is('sched', 'agents', 'is_senior', false, 'a new agent is not senior');
SELECT col_not_null('sched', 'agents', 'phone', 'an agent has a phone (the agent notes go there)');

-- scheduled_visits
SELECT col_type_is('sched', 'scheduled_visits', 'visit_id', 'bigint', 'visit_id is bigint');
SELECT col_type_is('sched', 'scheduled_visits', 'ref', 'text', 'visits.ref is text');
SELECT col_type_is('sched', 'scheduled_visits', 'user_id', 'text', 'visits.user_id is text');
SELECT col_type_is('sched', 'scheduled_visits', 'session_id', 'text', 'visits.session_id is text');
SELECT col_type_is('sched', 'scheduled_visits', 'project', 'text', 'visits.project is text');
SELECT col_type_is('sched', 'scheduled_visits', 'visit_date', 'date', 'visits.visit_date is date');
SELECT col_type_is('sched', 'scheduled_visits', 'time_slot', 'sched.time_slot', 'visits.time_slot is sched.time_slot');
SELECT col_type_is('sched', 'scheduled_visits', 'contact_name', 'text', 'visits.contact_name is text');
SELECT col_type_is('sched', 'scheduled_visits', 'contact_phone', 'text', 'visits.contact_phone is text');
SELECT col_type_is('sched', 'scheduled_visits', 'contact_email', 'text', 'visits.contact_email is text');
SELECT col_type_is('sched', 'scheduled_visits', 'agent_id', 'integer', 'visits.agent_id is integer');
SELECT col_type_is('sched', 'scheduled_visits', 'status', 'sched.visit_status', 'visits.status is sched.visit_status');
SELECT col_type_is('sched', 'scheduled_visits', 'user_notes', 'text', 'visits.user_notes is text');
SELECT col_type_is('sched', 'scheduled_visits', 'rm_notes', 'text', 'visits.rm_notes is text');
SELECT col_type_is('sched', 'scheduled_visits', 'lead_score', 'integer', 'visits.lead_score is integer');
SELECT col_type_is('sched', 'scheduled_visits', 'created_at', 'timestamp with time zone', 'visits.created_at is timestamptz');
SELECT col_type_is('sched', 'scheduled_visits', 'updated_at', 'timestamp with time zone', 'visits.updated_at is timestamptz');
SELECT col_type_is('sched', 'scheduled_visits', 'confirmed_at', 'timestamp with time zone', 'visits.confirmed_at is timestamptz');
SELECT col_type_is('sched', 'scheduled_visits', 'completed_at', 'timestamp with time zone', 'visits.completed_at is timestamptz');
SELECT col_type_is('sched', 'scheduled_visits', 'cancelled_at', 'timestamp with time zone', 'visits.cancelled_at is timestamptz');
SELECT col_type_is('sched', 'scheduled_visits', 'idempotency_key', 'text', 'visits.idempotency_key is text');
SELECT col_is_pk('sched', 'scheduled_visits', 'visit_id', 'scheduled_visits is keyed by visit_id');
SELECT hasnt_fk('sched', 'scheduled_visits',
  'a visit''s agent_id is kept by sched.agent_keys and the guard (1.2), not a foreign key');
SELECT col_default_is('sched', 'scheduled_visits', 'status', 'pending'::sched.visit_status, 'a visit starts pending');
SELECT is((SELECT attgenerated::text || attnotnull::text FROM pg_attribute
            WHERE attrelid = 'sched.scheduled_visits'::regclass AND attname = 'ref'),
          'true', 'visits.ref is a plain NOT NULL column from 1.3, written once by the trigger (no longer generated)');
SELECT col_not_null('sched', 'scheduled_visits', 'user_id', 'visits.user_id is NOT NULL');
SELECT col_not_null('sched', 'scheduled_visits', 'project', 'visits.project is NOT NULL');
SELECT col_not_null('sched', 'scheduled_visits', 'visit_date', 'visits.visit_date is NOT NULL');
SELECT col_not_null('sched', 'scheduled_visits', 'time_slot', 'visits.time_slot is NOT NULL');
SELECT col_not_null('sched', 'scheduled_visits', 'contact_phone', 'visits.contact_phone is NOT NULL');

-- callbacks
SELECT col_type_is('sched', 'callbacks', 'callback_id', 'bigint', 'callback_id is bigint');
SELECT col_type_is('sched', 'callbacks', 'ref', 'text', 'callbacks.ref is text');
SELECT col_type_is('sched', 'callbacks', 'user_id', 'text', 'callbacks.user_id is text');
SELECT col_type_is('sched', 'callbacks', 'session_id', 'text', 'callbacks.session_id is text');
SELECT col_type_is('sched', 'callbacks', 'contact_name', 'text', 'callbacks.contact_name is text');
SELECT col_type_is('sched', 'callbacks', 'contact_phone', 'text', 'callbacks.contact_phone is text');
SELECT col_type_is('sched', 'callbacks', 'contact_email', 'text', 'callbacks.contact_email is text');
SELECT col_type_is('sched', 'callbacks', 'reason', 'text', 'callbacks.reason is text');
SELECT col_type_is('sched', 'callbacks', 'urgency', 'sched.urgency', 'callbacks.urgency is sched.urgency');
SELECT col_type_is('sched', 'callbacks', 'due_at', 'timestamp with time zone', 'callbacks.due_at is timestamptz');
SELECT col_type_is('sched', 'callbacks', 'agent_id', 'integer', 'callbacks.agent_id is integer');
SELECT col_type_is('sched', 'callbacks', 'status', 'sched.callback_status', 'callbacks.status is sched.callback_status');
SELECT col_type_is('sched', 'callbacks', 'attempts', 'integer', 'callbacks.attempts is integer');
SELECT col_type_is('sched', 'callbacks', 'last_attempt_at', 'timestamp with time zone', 'callbacks.last_attempt_at is timestamptz');
SELECT col_type_is('sched', 'callbacks', 'call_duration_s', 'integer', 'callbacks.call_duration_s is integer');
SELECT col_type_is('sched', 'callbacks', 'outcome', 'text', 'callbacks.outcome is text');
SELECT col_type_is('sched', 'callbacks', 'agent_notes', 'text', 'callbacks.agent_notes is text');
SELECT col_type_is('sched', 'callbacks', 'lead_score', 'integer', 'callbacks.lead_score is integer');
SELECT col_type_is('sched', 'callbacks', 'created_at', 'timestamp with time zone', 'callbacks.created_at is timestamptz');
SELECT col_type_is('sched', 'callbacks', 'updated_at', 'timestamp with time zone', 'callbacks.updated_at is timestamptz');
SELECT col_type_is('sched', 'callbacks', 'contacted_at', 'timestamp with time zone', 'callbacks.contacted_at is timestamptz');
SELECT col_type_is('sched', 'callbacks', 'completed_at', 'timestamp with time zone', 'callbacks.completed_at is timestamptz');
SELECT col_type_is('sched', 'callbacks', 'idempotency_key', 'text', 'callbacks.idempotency_key is text');
SELECT col_is_pk('sched', 'callbacks', 'callback_id', 'callbacks is keyed by callback_id');
SELECT hasnt_fk('sched', 'callbacks',
  'a callback''s agent_id is kept by sched.agent_keys and the guard (1.2), not a foreign key');
SELECT col_default_is('sched', 'callbacks', 'status', 'pending'::sched.callback_status, 'a callback starts pending');
SELECT col_default_is('sched', 'callbacks', 'urgency', 'medium'::sched.urgency, 'urgency defaults to medium');
SELECT col_default_is('sched', 'callbacks', 'attempts', 0, 'a callback starts with no attempts');
SELECT is((SELECT attgenerated::text || attnotnull::text FROM pg_attribute
            WHERE attrelid = 'sched.callbacks'::regclass AND attname = 'ref'),
          'true', 'callbacks.ref is a plain NOT NULL column from 1.3, written once by the trigger (no longer generated)');
SELECT col_not_null('sched', 'callbacks', 'due_at', 'callbacks.due_at is NOT NULL');

-- user_profiles
SELECT col_type_is('sched', 'user_profiles', 'user_id', 'text', 'user_profiles.user_id is text');
SELECT col_type_is('sched', 'user_profiles', 'site_visits_scheduled', 'integer', 'site_visits_scheduled is integer');
SELECT col_type_is('sched', 'user_profiles', 'callbacks_requested', 'integer', 'callbacks_requested is integer');
SELECT col_type_is('sched', 'user_profiles', 'intent_points', 'integer', 'intent_points is integer');
SELECT col_type_is('sched', 'user_profiles', 'lead_score', 'integer', 'user_profiles.lead_score is integer');
SELECT col_type_is('sched', 'user_profiles', 'updated_at', 'timestamp with time zone', 'user_profiles.updated_at is timestamptz');
SELECT col_is_pk('sched', 'user_profiles', 'user_id', 'user_profiles is keyed by user_id');

-- status_history
SELECT col_type_is('sched', 'status_history', 'history_id', 'bigint', 'history_id is bigint');
SELECT col_type_is('sched', 'status_history', 'entity', 'sched.entity', 'status_history.entity is sched.entity');
SELECT col_type_is('sched', 'status_history', 'entity_id', 'bigint', 'status_history.entity_id is bigint');
SELECT col_type_is('sched', 'status_history', 'from_status', 'text', 'from_status is text');
SELECT col_type_is('sched', 'status_history', 'to_status', 'text', 'to_status is text');
SELECT col_type_is('sched', 'status_history', 'changed_at', 'timestamp with time zone', 'changed_at is timestamptz');
SELECT col_type_is('sched', 'status_history', 'changed_by', 'text', 'changed_by is text');
SELECT col_type_is('sched', 'status_history', 'note', 'text', 'status_history.note is text');
SELECT col_is_null('sched', 'status_history', 'from_status', 'from_status may be NULL (the booking itself)');

-- outbox
SELECT col_type_is('sched', 'outbox', 'job_id', 'bigint', 'job_id is bigint');
SELECT col_type_is('sched', 'outbox', 'entity', 'sched.entity', 'outbox.entity is sched.entity');
SELECT col_type_is('sched', 'outbox', 'entity_id', 'bigint', 'outbox.entity_id is bigint');
SELECT col_type_is('sched', 'outbox', 'channel', 'sched.channel', 'outbox.channel is sched.channel');
SELECT col_type_is('sched', 'outbox', 'recipient', 'text', 'outbox.recipient is text');
SELECT col_type_is('sched', 'outbox', 'template', 'text', 'outbox.template is text');
SELECT col_type_is('sched', 'outbox', 'payload', 'jsonb', 'outbox.payload is jsonb');
SELECT col_type_is('sched', 'outbox', 'run_at', 'timestamp with time zone', 'outbox.run_at is timestamptz');
SELECT col_type_is('sched', 'outbox', 'state', 'sched.job_state', 'outbox.state is sched.job_state');
SELECT col_type_is('sched', 'outbox', 'attempts', 'integer', 'outbox.attempts is integer');
SELECT col_type_is('sched', 'outbox', 'last_error', 'text', 'outbox.last_error is text');
SELECT col_type_is('sched', 'outbox', 'created_at', 'timestamp with time zone', 'outbox.created_at is timestamptz');
SELECT col_default_is('sched', 'outbox', 'state', 'pending'::sched.job_state, 'a job starts pending');

-- ---------------------------------------------------------------------
-- Sequences: ids, and the round-robin turn counters
-- ---------------------------------------------------------------------
SELECT sequences_are('sched',
  ARRAY['agent_id_seq', 'visit_id_seq', 'callback_id_seq', 'history_id_seq', 'job_id_seq',
        'visit_turn', 'callback_turn', 'senior_callback_turn', 'time_off_id_seq'],
  'sched has the six id sequences and the three round-robin turn sequences');

-- pg_dump keeps data tables and sequences (pg_extension_config_dump)
SELECT set_eq(
  $$SELECT c::regclass::text FROM pg_extension e, unnest(e.extconfig) AS c WHERE e.extname = 'sched'$$,
  ARRAY['sched.agents', 'sched.scheduled_visits', 'sched.callbacks', 'sched.user_profiles',
        'sched.status_history', 'sched.outbox', 'sched.agent_id_seq', 'sched.visit_id_seq',
        'sched.callback_id_seq', 'sched.history_id_seq', 'sched.job_id_seq', 'sched.visit_turn',
        'sched.callback_turn', 'sched.senior_callback_turn', 'sched.visit_feedback',
        'sched.agent_time_off', 'sched.time_off_id_seq', 'sched.project_agents', 'sched.projects',
        'sched.agent_hours', 'sched.holidays', 'sched.agent_busy', 'sched.chat_sessions'],
  'every data table and sequence is marked with pg_extension_config_dump');

-- ---------------------------------------------------------------------
-- Indexes (by user, status, date, agent, urgency; idempotency keys)
-- ---------------------------------------------------------------------
SELECT has_index('sched', 'scheduled_visits', 'scheduled_visits_user_idx',
  ARRAY['user_id', 'created_at', 'visit_id'], 'visits are indexed by user');
SELECT has_index('sched', 'scheduled_visits', 'scheduled_visits_status_date_idx',
  ARRAY['status', 'visit_date', 'time_slot', 'visit_id'], 'visits are indexed by status and date');
SELECT has_index('sched', 'scheduled_visits', 'scheduled_visits_date_idx',
  ARRAY['visit_date', 'time_slot', 'visit_id'], 'visits are indexed by date');
SELECT has_index('sched', 'scheduled_visits', 'scheduled_visits_agent_slot_idx',
  ARRAY['agent_id', 'visit_date', 'time_slot', 'visit_id'], 'visits are indexed by agent and slot');
SELECT has_index('sched', 'scheduled_visits', 'scheduled_visits_idempotency_idx',
  ARRAY['user_id', 'idempotency_key'], 'visits are indexed by idempotency key');
SELECT index_is_unique('sched', 'scheduled_visits', 'scheduled_visits_idempotency_idx',
  'a visit idempotency key is unique per user');
SELECT has_index('sched', 'callbacks', 'callbacks_user_idx',
  ARRAY['user_id', 'created_at', 'callback_id'], 'callbacks are indexed by user');
SELECT has_index('sched', 'callbacks', 'callbacks_status_queue_idx',
  ARRAY['status', 'next_attempt_at', 'urgency', 'created_at', 'callback_id'],
  'callbacks are indexed by status in list_callbacks'' order (1.1: the queue, due first)');
SELECT has_index('sched', 'callbacks', 'callbacks_queue_idx',
  ARRAY['next_attempt_at', 'urgency', 'created_at', 'callback_id'],
  'callbacks are indexed in list_callbacks'' order (1.1: the queue, due first)');
SELECT has_index('sched', 'callbacks', 'callbacks_agent_idx',
  ARRAY['agent_id', 'status'], 'callbacks are indexed by agent');
SELECT has_index('sched', 'callbacks', 'callbacks_idempotency_idx',
  ARRAY['user_id', 'idempotency_key'], 'callbacks are indexed by idempotency key');
SELECT index_is_unique('sched', 'callbacks', 'callbacks_idempotency_idx',
  'a callback idempotency key is unique per user');
SELECT has_index('sched', 'status_history', 'status_history_entity_idx',
  ARRAY['entity', 'entity_id', 'changed_at'], 'history is indexed by entity');
SELECT has_index('sched', 'outbox', 'outbox_due_idx', ARRAY['run_at'], 'the outbox is indexed by run_at');
SELECT is(pg_get_indexdef('sched.scheduled_visits_idempotency_idx'::regclass),
  'CREATE UNIQUE INDEX scheduled_visits_idempotency_idx ON sched.scheduled_visits USING btree (user_id, idempotency_key) WHERE (idempotency_key IS NOT NULL)',
  'the visit idempotency index is partial: bookings without a key never collide');
SELECT is(pg_get_indexdef('sched.callbacks_idempotency_idx'::regclass),
  'CREATE UNIQUE INDEX callbacks_idempotency_idx ON sched.callbacks USING btree (user_id, idempotency_key) WHERE (idempotency_key IS NOT NULL)',
  'the callback idempotency index is partial: requests without a key never collide');
SELECT is(pg_get_indexdef('sched.outbox_due_idx'::regclass),
  'CREATE INDEX outbox_due_idx ON sched.outbox USING btree (run_at) WHERE (state = ''pending''::sched.job_state)',
  'the outbox index holds only pending jobs');

-- ---------------------------------------------------------------------
-- Functions: exact signatures, argument names and defaults, results,
-- volatility, language, SECURITY DEFINER, search_path
-- ---------------------------------------------------------------------
SELECT has_function('sched', 'book_site_visit',
  ARRAY['text', 'text', 'date', 'sched.time_slot', 'text', 'text', 'text', 'text', 'text', 'integer', 'text'],
  'book_site_visit(text, text, date, time_slot, text, text, text, text, text, integer, text) exists');
SELECT has_function('sched', 'request_callback',
  ARRAY['text', 'text', 'text', 'text', 'sched.urgency', 'text', 'text', 'integer', 'text'],
  'request_callback(text, text, text, text, urgency, text, text, integer, text) exists');
SELECT has_function('sched', 'user_schedule', ARRAY['text'], 'user_schedule(text) exists');
SELECT has_function('sched', 'list_visits',
  ARRAY['sched.visit_status', 'date', 'date', 'integer', 'integer'],
  'list_visits(visit_status, date, date, integer, integer) exists');
SELECT has_function('sched', 'list_callbacks',
  ARRAY['sched.callback_status', 'sched.urgency', 'integer'],
  'list_callbacks(callback_status, urgency, integer) exists');
SELECT has_function('sched', 'set_visit_status', ARRAY['bigint', 'sched.visit_status', 'text'],
  'set_visit_status(bigint, visit_status, text) exists');
SELECT has_function('sched', 'set_callback_status',
  ARRAY['bigint', 'sched.callback_status', 'text', 'integer', 'text'],
  'set_callback_status(bigint, callback_status, text, integer, text) exists');
SELECT has_function('sched', 'grant_user_calls', ARRAY['regrole'], 'grant_user_calls(regrole) exists');
SELECT has_function('sched', 'grant_admin_calls', ARRAY['regrole'], 'grant_admin_calls(regrole) exists');
SELECT has_function('sched', 'revoke_calls', ARRAY['regrole'], 'revoke_calls(regrole) exists');

SELECT set_eq(
  $$SELECT p.proname::text FROM pg_proc p WHERE p.pronamespace = 'sched'::regnamespace$$,
  ARRAY['book_site_visit', 'request_callback', 'user_schedule', 'list_visits', 'list_callbacks',
        'set_visit_status', 'set_callback_status', 'grant_user_calls', 'grant_admin_calls',
        'revoke_calls', 'agent_guard', 'agents_changed', 'visit_guard', 'callback_guard',
        'visit_announce', 'callback_announce',
        -- 1.1
        'reschedule_visit', 'cancel_visit', 'mark_no_shows', 'slot_bounds', 'claim_jobs',
        'render_message', 'complete_job', 'fail_job', 'grant_worker_calls', 'detect_intent',
        'scheduling_prompt', 'parse_contact_details', 'visit_ics', 'record_feedback',
        'assignment_stats', 'agent_performance', 'available_slots', 'escalate_overdue_callbacks',
        -- 1.2
        'agent_keys',
        -- 1.3
        'request_user_id', 'book_my_visit', 'request_my_callback', 'my_schedule', 'cancel_my_visit',
        'reschedule_my_visit', 'set_my_visit_status', 'set_my_callback_status',
        'grant_customer_calls', 'grant_agent_calls', 'protect_rows', 'retry_job', 'erase_user',
        -- 1.4
        'fail_job_permanently', 'agent_calendar', 'my_calendar', 'slot_label', 'set_my_time_zone',
        'set_time_zone_for', 'sync_agent_busy', 'chat_turn', 'chat_turn_for', 'set_my_channel',
        'set_channel_for'],
  'sched has exactly the public calls, the grant helpers and the trigger functions');
SELECT is((SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'sched'::regnamespace), 59,
  'no function name in sched is overloaded');

-- Argument names and defaults are the public API (PostgREST JSON keys).
SELECT is(pg_get_function_arguments('sched.book_site_visit'::regproc),
  'user_id text, project text, visit_date date, time_slot sched.time_slot, contact_name text, contact_phone text, contact_email text DEFAULT NULL::text, notes text DEFAULT NULL::text, session_id text DEFAULT NULL::text, lead_score integer DEFAULT NULL::integer, idempotency_key text DEFAULT NULL::text',
  'book_site_visit argument names and defaults');
SELECT is(pg_get_function_arguments('sched.request_callback'::regproc),
  'user_id text, contact_name text, contact_phone text, reason text DEFAULT NULL::text, urgency sched.urgency DEFAULT ''medium''::sched.urgency, contact_email text DEFAULT NULL::text, session_id text DEFAULT NULL::text, lead_score integer DEFAULT NULL::integer, idempotency_key text DEFAULT NULL::text',
  'request_callback argument names and defaults (urgency defaults to medium)');
SELECT is(pg_get_function_arguments('sched.user_schedule'::regproc),
  'user_id text', 'user_schedule argument name');
SELECT is(pg_get_function_arguments('sched.list_visits'::regproc),
  'status sched.visit_status DEFAULT NULL::sched.visit_status, date_from date DEFAULT NULL::date, date_to date DEFAULT NULL::date, agent_id integer DEFAULT NULL::integer, max_rows integer DEFAULT 100',
  'list_visits argument names and defaults (max_rows 100)');
SELECT is(pg_get_function_arguments('sched.list_callbacks'::regproc),
  'status sched.callback_status DEFAULT NULL::sched.callback_status, urgency sched.urgency DEFAULT NULL::sched.urgency, max_rows integer DEFAULT 100',
  'list_callbacks argument names and defaults (max_rows 100)');
SELECT is(pg_get_function_arguments('sched.set_visit_status'::regproc),
  'visit_id bigint, status sched.visit_status, rm_notes text DEFAULT NULL::text',
  'set_visit_status argument names and defaults');
SELECT is(pg_get_function_arguments('sched.set_callback_status'::regproc),
  'callback_id bigint, status sched.callback_status, agent_notes text DEFAULT NULL::text, call_duration_s integer DEFAULT NULL::integer, outcome text DEFAULT NULL::text',
  'set_callback_status argument names and defaults');
SELECT is(pg_get_function_arguments('sched.grant_user_calls'::regproc), 'grantee regrole',
  'grant_user_calls takes grantee regrole');
SELECT is(pg_get_function_arguments('sched.grant_admin_calls'::regproc), 'grantee regrole',
  'grant_admin_calls takes grantee regrole');
SELECT is(pg_get_function_arguments('sched.revoke_calls'::regproc), 'grantee regrole',
  'revoke_calls takes grantee regrole');

SELECT function_returns('sched', 'book_site_visit',
  ARRAY['text', 'text', 'date', 'sched.time_slot', 'text', 'text', 'text', 'text', 'text', 'integer', 'text'],
  'sched.scheduled_visits', 'book_site_visit returns the visit row');
SELECT function_returns('sched', 'request_callback',
  ARRAY['text', 'text', 'text', 'text', 'sched.urgency', 'text', 'text', 'integer', 'text'],
  'sched.callbacks', 'request_callback returns the callback row');
SELECT function_returns('sched', 'user_schedule', ARRAY['text'], 'jsonb', 'user_schedule returns jsonb');
SELECT function_returns('sched', 'list_visits', ARRAY['sched.visit_status', 'date', 'date', 'integer', 'integer'],
  'setof sched.scheduled_visits', 'list_visits returns SETOF visits');
SELECT function_returns('sched', 'list_callbacks', ARRAY['sched.callback_status', 'sched.urgency', 'integer'],
  'setof sched.callbacks', 'list_callbacks returns SETOF callbacks');
SELECT function_returns('sched', 'set_visit_status', ARRAY['bigint', 'sched.visit_status', 'text'],
  'sched.scheduled_visits', 'set_visit_status returns the visit row');
SELECT function_returns('sched', 'set_callback_status',
  ARRAY['bigint', 'sched.callback_status', 'text', 'integer', 'text'],
  'sched.callbacks', 'set_callback_status returns the callback row');
SELECT function_returns('sched', 'grant_user_calls', ARRAY['regrole'], 'void', 'grant_user_calls returns void');
SELECT function_returns('sched', 'grant_admin_calls', ARRAY['regrole'], 'void', 'grant_admin_calls returns void');
SELECT function_returns('sched', 'revoke_calls', ARRAY['regrole'], 'void', 'revoke_calls returns void');

SELECT volatility_is('sched', 'book_site_visit',
  ARRAY['text', 'text', 'date', 'sched.time_slot', 'text', 'text', 'text', 'text', 'text', 'integer', 'text'],
  'volatile', 'book_site_visit is VOLATILE');
SELECT volatility_is('sched', 'request_callback',
  ARRAY['text', 'text', 'text', 'text', 'sched.urgency', 'text', 'text', 'integer', 'text'],
  'volatile', 'request_callback is VOLATILE');
SELECT volatility_is('sched', 'user_schedule', ARRAY['text'], 'stable', 'user_schedule is STABLE');
SELECT volatility_is('sched', 'list_visits', ARRAY['sched.visit_status', 'date', 'date', 'integer', 'integer'],
  'stable', 'list_visits is STABLE');
SELECT volatility_is('sched', 'list_callbacks', ARRAY['sched.callback_status', 'sched.urgency', 'integer'],
  'stable', 'list_callbacks is STABLE');
SELECT volatility_is('sched', 'set_visit_status', ARRAY['bigint', 'sched.visit_status', 'text'],
  'volatile', 'set_visit_status is VOLATILE');
SELECT volatility_is('sched', 'set_callback_status',
  ARRAY['bigint', 'sched.callback_status', 'text', 'integer', 'text'],
  'volatile', 'set_callback_status is VOLATILE');
SELECT volatility_is('sched', 'grant_user_calls', ARRAY['regrole'], 'volatile', 'grant_user_calls is VOLATILE');

SELECT volatility_is('sched', 'grant_admin_calls', ARRAY['regrole'], 'volatile', 'grant_admin_calls is VOLATILE');
SELECT volatility_is('sched', 'revoke_calls', ARRAY['regrole'], 'volatile', 'revoke_calls is VOLATILE');
SELECT is_strict('sched', 'grant_user_calls', ARRAY['regrole'], 'grant_user_calls is STRICT');
SELECT results_eq(
  $$SELECT p.proname::text COLLATE "default", p.prorettype::regtype::text, p.provolatile::text, l.lanname::text COLLATE "default"
      FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
     WHERE p.pronamespace = 'sched'::regnamespace AND p.pronargs = 0 AND p.prorettype = 'trigger'::regtype ORDER BY 1$$,
  $$VALUES ('agent_guard', 'trigger', 'v', 'c'), ('agent_keys', 'trigger', 'v', 'c'),
           ('agents_changed', 'trigger', 'v', 'c'),
           ('callback_announce', 'trigger', 'v', 'c'), ('callback_guard', 'trigger', 'v', 'c'),
           ('protect_rows', 'trigger', 'v', 'c'),
           ('visit_announce', 'trigger', 'v', 'c'), ('visit_guard', 'trigger', 'v', 'c')$$,
  'the eight trigger functions are volatile C functions returning trigger');
SELECT function_lang_is('sched', 'book_site_visit',
  ARRAY['text', 'text', 'date', 'sched.time_slot', 'text', 'text', 'text', 'text', 'text', 'integer', 'text'],
  'c', 'book_site_visit is written in C');
SELECT function_lang_is('sched', 'set_callback_status',
  ARRAY['bigint', 'sched.callback_status', 'text', 'integer', 'text'], 'c', 'set_callback_status is written in C');
SELECT function_lang_is('sched', 'visit_guard', ARRAY[]::name[], 'c', 'visit_guard is written in C');
SELECT function_lang_is('sched', 'grant_admin_calls', ARRAY['regrole'], 'plpgsql', 'grant_admin_calls is plpgsql');

-- The seven calls run as the owner; they report NULLs themselves (22004),
-- so they are not STRICT.  The grant helpers run as their caller.
SELECT is_definer('sched', 'book_site_visit',
  ARRAY['text', 'text', 'date', 'sched.time_slot', 'text', 'text', 'text', 'text', 'text', 'integer', 'text'],
  'book_site_visit is SECURITY DEFINER');
SELECT is_definer('sched', 'request_callback',
  ARRAY['text', 'text', 'text', 'text', 'sched.urgency', 'text', 'text', 'integer', 'text'],
  'request_callback is SECURITY DEFINER');
SELECT is_definer('sched', 'user_schedule', ARRAY['text'], 'user_schedule is SECURITY DEFINER');
SELECT is_definer('sched', 'list_visits', ARRAY['sched.visit_status', 'date', 'date', 'integer', 'integer'],
  'list_visits is SECURITY DEFINER');
SELECT is_definer('sched', 'list_callbacks', ARRAY['sched.callback_status', 'sched.urgency', 'integer'],
  'list_callbacks is SECURITY DEFINER');
SELECT is_definer('sched', 'set_visit_status', ARRAY['bigint', 'sched.visit_status', 'text'],
  'set_visit_status is SECURITY DEFINER');
SELECT is_definer('sched', 'set_callback_status',
  ARRAY['bigint', 'sched.callback_status', 'text', 'integer', 'text'],
  'set_callback_status is SECURITY DEFINER');
SELECT isnt_definer('sched', 'grant_user_calls', ARRAY['regrole'], 'grant_user_calls is not SECURITY DEFINER');
SELECT isnt_definer('sched', 'grant_admin_calls', ARRAY['regrole'], 'grant_admin_calls is not SECURITY DEFINER');
SELECT isnt_definer('sched', 'revoke_calls', ARRAY['regrole'], 'revoke_calls is not SECURITY DEFINER');
SELECT set_eq(
  $$SELECT p.proname::text FROM pg_proc p
     WHERE p.pronamespace = 'sched'::regnamespace AND p.prosecdef$$,
  ARRAY['book_site_visit', 'request_callback', 'user_schedule', 'list_visits', 'list_callbacks',
        'set_visit_status', 'set_callback_status',
        'reschedule_visit', 'cancel_visit', 'mark_no_shows', 'claim_jobs', 'render_message',
        'complete_job', 'fail_job', 'visit_ics', 'record_feedback', 'assignment_stats',
        'agent_performance', 'available_slots', 'escalate_overdue_callbacks',
        'book_my_visit', 'request_my_callback', 'my_schedule', 'cancel_my_visit', 'reschedule_my_visit',
        'set_my_visit_status', 'set_my_callback_status', 'retry_job', 'erase_user', 'fail_job_permanently',
        'agent_calendar', 'my_calendar', 'set_my_time_zone', 'set_time_zone_for', 'sync_agent_busy',
        'chat_turn', 'chat_turn_for', 'set_my_channel', 'set_channel_for'],
  'exactly the calls that read or write the tables are SECURITY DEFINER (the chat helpers, slot_bounds and slot_label are not)');
SELECT is_empty(
  $$SELECT p.oid::regprocedure::text FROM pg_proc p
     WHERE p.pronamespace = 'sched'::regnamespace
       AND (p.prosecdef OR p.prolang = (SELECT l.oid FROM pg_language l WHERE l.lanname = 'plpgsql'))
       AND p.proconfig IS DISTINCT FROM ARRAY['search_path=pg_catalog, pg_temp']$$,
  'every SECURITY DEFINER and plpgsql function pins search_path = pg_catalog, pg_temp');
SELECT is_empty(
  $$SELECT p.oid::regprocedure::text FROM pg_proc p
     WHERE p.pronamespace = 'sched'::regnamespace AND p.prorettype = 'trigger'::regtype
       AND (p.prolang <> (SELECT l.oid FROM pg_language l WHERE l.lanname = 'c') OR p.proconfig IS NOT NULL)$$,
  'the trigger functions are C and (1.4) pin search_path in C, without a SET clause (210_search_path shows it in force)');
SELECT isnt_strict('sched', 'book_site_visit',
  ARRAY['text', 'text', 'date', 'sched.time_slot', 'text', 'text', 'text', 'text', 'text', 'integer', 'text'],
  'book_site_visit is not STRICT (NULLs get 22004, not a silent NULL)');
SELECT isnt_strict('sched', 'request_callback',
  ARRAY['text', 'text', 'text', 'text', 'sched.urgency', 'text', 'text', 'integer', 'text'],
  'request_callback is not STRICT');
SELECT isnt_strict('sched', 'user_schedule', ARRAY['text'], 'user_schedule is not STRICT');
SELECT isnt_strict('sched', 'set_visit_status', ARRAY['bigint', 'sched.visit_status', 'text'],
  'set_visit_status is not STRICT');
SELECT isnt_strict('sched', 'set_callback_status',
  ARRAY['bigint', 'sched.callback_status', 'text', 'integer', 'text'], 'set_callback_status is not STRICT');
SELECT isnt_strict('sched', 'list_visits', ARRAY['sched.visit_status', 'date', 'date', 'integer', 'integer'],
  'list_visits is not STRICT (its filters are optional)');
SELECT isnt_strict('sched', 'list_callbacks', ARRAY['sched.callback_status', 'sched.urgency', 'integer'],
  'list_callbacks is not STRICT (its filters are optional)');
SELECT is_empty(
  $$SELECT p.oid::regprocedure::text FROM pg_proc p
     WHERE p.pronamespace = 'sched'::regnamespace AND p.proparallel <> 'u'$$,
  'every sched function is PARALLEL UNSAFE (1.3): none runs in a parallel operation, where a first call could not apply the database''s sched settings');

-- ---------------------------------------------------------------------
-- Triggers
-- ---------------------------------------------------------------------
SELECT triggers_are('sched', 'agents',
  ARRAY['agents_guard', 'agents_changed', 'agents_keys', 'agents_keys_truncate', 'agents_keys_truncated'],
  'agents has its guard, change and key triggers only');
SELECT triggers_are('sched', 'scheduled_visits', ARRAY['scheduled_visits_guard', 'scheduled_visits_announce',
                                                       'scheduled_visits_protect', 'scheduled_visits_protect_truncate'],
  'scheduled_visits has its guard, announce and protect triggers only');
SELECT triggers_are('sched', 'callbacks', ARRAY['callbacks_guard', 'callbacks_announce', 'callbacks_protect',
                                                'callbacks_protect_truncate'],
  'callbacks has its guard, announce and protect triggers only');
SELECT triggers_are('sched', 'status_history', ARRAY['status_history_protect', 'status_history_protect_truncate'],
  'status_history has its protect triggers only');
SELECT triggers_are('sched', 'outbox', ARRAY['outbox_protect', 'outbox_protect_truncate'],
  'outbox has its protect triggers only');
SELECT has_trigger('sched', 'agents', 'agents_guard', 'sched.agents has trigger agents_guard');
SELECT has_trigger('sched', 'agents', 'agents_changed', 'sched.agents has trigger agents_changed');
SELECT has_trigger('sched', 'scheduled_visits', 'scheduled_visits_guard', 'sched.scheduled_visits has trigger scheduled_visits_guard');
SELECT has_trigger('sched', 'scheduled_visits', 'scheduled_visits_announce', 'sched.scheduled_visits has trigger scheduled_visits_announce');
SELECT has_trigger('sched', 'callbacks', 'callbacks_guard', 'sched.callbacks has trigger callbacks_guard');
SELECT has_trigger('sched', 'callbacks', 'callbacks_announce', 'sched.callbacks has trigger callbacks_announce');
SELECT trigger_is('sched', 'agents', 'agents_guard', 'sched', 'agent_guard',
  'agents_guard runs sched.agent_guard()');
SELECT trigger_is('sched', 'agents', 'agents_changed', 'sched', 'agents_changed',
  'agents_changed runs sched.agents_changed()');
SELECT trigger_is('sched', 'agents', 'agents_keys', 'sched', 'agent_keys',
  'agents_keys runs sched.agent_keys()');
SELECT trigger_is('sched', 'agents', 'agents_keys_truncate', 'sched', 'agent_keys',
  'agents_keys_truncate runs sched.agent_keys()');
SELECT trigger_is('sched', 'agents', 'agents_keys_truncated', 'sched', 'agent_keys',
  'agents_keys_truncated runs sched.agent_keys()');
SELECT trigger_is('sched', 'scheduled_visits', 'scheduled_visits_guard', 'sched', 'visit_guard',
  'scheduled_visits_guard runs sched.visit_guard()');
SELECT trigger_is('sched', 'scheduled_visits', 'scheduled_visits_announce', 'sched', 'visit_announce',
  'scheduled_visits_announce runs sched.visit_announce()');
SELECT trigger_is('sched', 'callbacks', 'callbacks_guard', 'sched', 'callback_guard',
  'callbacks_guard runs sched.callback_guard()');
SELECT trigger_is('sched', 'callbacks', 'callbacks_announce', 'sched', 'callback_announce',
  'callbacks_announce runs sched.callback_announce()');
SELECT results_eq(
  $$SELECT t.tgname::text COLLATE "default", pg_get_triggerdef(t.oid) FROM pg_trigger t
     WHERE t.tgrelid IN ('sched.agents'::regclass, 'sched.scheduled_visits'::regclass, 'sched.callbacks'::regclass,
                         'sched.status_history'::regclass, 'sched.outbox'::regclass)
       AND NOT t.tgisinternal ORDER BY 1$$,
  $$VALUES
    ('agents_changed', 'CREATE TRIGGER agents_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON sched.agents FOR EACH STATEMENT EXECUTE FUNCTION sched.agents_changed()'),
    ('agents_guard', 'CREATE TRIGGER agents_guard BEFORE INSERT OR UPDATE ON sched.agents FOR EACH ROW EXECUTE FUNCTION sched.agent_guard()'),
    ('agents_keys', 'CREATE TRIGGER agents_keys BEFORE DELETE OR UPDATE OF agent_id ON sched.agents FOR EACH ROW EXECUTE FUNCTION sched.agent_keys()'),
    ('agents_keys_truncate', 'CREATE TRIGGER agents_keys_truncate BEFORE TRUNCATE ON sched.agents FOR EACH STATEMENT EXECUTE FUNCTION sched.agent_keys()'),
    ('agents_keys_truncated', 'CREATE TRIGGER agents_keys_truncated AFTER TRUNCATE ON sched.agents FOR EACH STATEMENT EXECUTE FUNCTION sched.agent_keys()'),
    ('callbacks_announce', 'CREATE TRIGGER callbacks_announce AFTER INSERT OR UPDATE ON sched.callbacks FOR EACH ROW EXECUTE FUNCTION sched.callback_announce()'),
    ('callbacks_guard', 'CREATE TRIGGER callbacks_guard BEFORE INSERT OR UPDATE ON sched.callbacks FOR EACH ROW EXECUTE FUNCTION sched.callback_guard()'),
    ('callbacks_protect', 'CREATE TRIGGER callbacks_protect BEFORE DELETE ON sched.callbacks FOR EACH ROW EXECUTE FUNCTION sched.protect_rows()'),
    ('callbacks_protect_truncate', 'CREATE TRIGGER callbacks_protect_truncate BEFORE TRUNCATE ON sched.callbacks FOR EACH STATEMENT EXECUTE FUNCTION sched.protect_rows()'),
    ('outbox_protect', 'CREATE TRIGGER outbox_protect BEFORE DELETE OR UPDATE ON sched.outbox FOR EACH ROW EXECUTE FUNCTION sched.protect_rows()'),
    ('outbox_protect_truncate', 'CREATE TRIGGER outbox_protect_truncate BEFORE TRUNCATE ON sched.outbox FOR EACH STATEMENT EXECUTE FUNCTION sched.protect_rows()'),
    ('scheduled_visits_announce', 'CREATE TRIGGER scheduled_visits_announce AFTER INSERT OR UPDATE ON sched.scheduled_visits FOR EACH ROW EXECUTE FUNCTION sched.visit_announce()'),
    ('scheduled_visits_guard', 'CREATE TRIGGER scheduled_visits_guard BEFORE INSERT OR UPDATE ON sched.scheduled_visits FOR EACH ROW EXECUTE FUNCTION sched.visit_guard()'),
    ('scheduled_visits_protect', 'CREATE TRIGGER scheduled_visits_protect BEFORE DELETE ON sched.scheduled_visits FOR EACH ROW EXECUTE FUNCTION sched.protect_rows()'),
    ('scheduled_visits_protect_truncate', 'CREATE TRIGGER scheduled_visits_protect_truncate BEFORE TRUNCATE ON sched.scheduled_visits FOR EACH STATEMENT EXECUTE FUNCTION sched.protect_rows()'),
    ('status_history_protect', 'CREATE TRIGGER status_history_protect BEFORE DELETE OR UPDATE ON sched.status_history FOR EACH ROW EXECUTE FUNCTION sched.protect_rows()'),
    ('status_history_protect_truncate', 'CREATE TRIGGER status_history_protect_truncate BEFORE TRUNCATE ON sched.status_history FOR EACH STATEMENT EXECUTE FUNCTION sched.protect_rows()')$$,
  'guards are BEFORE INSERT OR UPDATE per row, announcers AFTER INSERT OR UPDATE per row, agents_changed per statement, the agent keys before a delete or renumbering and around TRUNCATE, the protect triggers before DELETE (history and outbox also UPDATE) and TRUNCATE');
SELECT throws_ok('SELECT sched.visit_guard()', '39P01', 'function "visit_guard" was not called by trigger manager',
  'a trigger function cannot be called as a plain function');

-- ---------------------------------------------------------------------
-- Comments (psql \df+ and PostgREST's OpenAPI show them)
-- ---------------------------------------------------------------------
SELECT is_empty(
  $$SELECT p.oid::regprocedure::text FROM pg_proc p
     WHERE p.pronamespace = 'sched'::regnamespace
       AND coalesce(obj_description(p.oid, 'pg_proc'), '') = ''$$,
  'every function in sched has a comment');
SELECT is_empty(
  $$SELECT c.relname::text FROM pg_class c
     WHERE c.relnamespace = 'sched'::regnamespace AND c.relkind = 'r'
       AND coalesce(obj_description(c.oid, 'pg_class'), '') = ''$$,
  'every table in sched has a comment');
SELECT is_empty(
  $$SELECT t.typname::text FROM pg_type t
     WHERE t.typnamespace = 'sched'::regnamespace AND t.typtype = 'e'
       AND coalesce(obj_description(t.oid, 'pg_type'), '') = ''$$,
  'every enum type in sched has a comment');
SELECT is_empty(
  $$SELECT c.relname::text FROM pg_class c
     WHERE c.relnamespace = 'sched'::regnamespace AND c.relkind = 'S' AND c.relname LIKE '%turn'
       AND coalesce(obj_description(c.oid, 'pg_class'), '') = ''$$,
  'every round-robin turn sequence has a comment');
SELECT is_empty(
  $$SELECT a.attrelid::regclass::text || '.' || a.attname FROM pg_attribute a
     WHERE a.attrelid = ANY (ARRAY['sched.scheduled_visits'::regclass, 'sched.callbacks'::regclass])
       AND a.attname IN ('ref', 'agent_id', 'created_at', 'idempotency_key', 'contact_phone', 'due_at', 'attempts')
       AND a.attnum > 0 AND NOT a.attisdropped
       AND coalesce(col_description(a.attrelid, a.attnum), '') = ''$$,
  'the columns whose meaning is not obvious (ref, agent_id, created_at, keys, phone, due_at, attempts) have comments');
SELECT matches(obj_description('sched.book_site_visit'::regproc, 'pg_proc'), 'PT409',
  'the comment of book_site_visit lists its error codes');

-- ---------------------------------------------------------------------
-- Settings: all PGC_SUSET, with the documented defaults
-- ---------------------------------------------------------------------
LOAD 'sched';
SELECT results_eq(
  $$SELECT name, context, boot_val FROM pg_settings WHERE name LIKE 'sched.%' ORDER BY name$$,
  $$VALUES ('sched.allow_truncate'::text, 'superuser'::text, 'off'::text),
           ('sched.business_hours', 'superuser', '09:00-18:00'),
           ('sched.callback_intent_points', 'superuser', '2'),
           ('sched.callback_max_attempts', 'superuser', '3'),
           ('sched.chat_session_ttl', 'superuser', '24 hours'),
           ('sched.default_country_code', 'superuser', '91'),
           ('sched.job_max_attempts', 'superuser', '5'),
           ('sched.max_days_ahead', 'superuser', '90'),
           ('sched.max_open_callbacks_per_user', 'superuser', '2'),
           ('sched.max_open_visits_per_user', 'superuser', '3'),
           ('sched.min_notice', 'superuser', '2 hours'),
           ('sched.reminder_horizon', 'superuser', '2 days'),
           ('sched.timezone', 'superuser', 'Asia/Kolkata'),
           ('sched.user_id_claim', 'superuser', 'sub'),
           ('sched.visit_intent_points', 'superuser', '3')$$,
  'the fifteen settings exist, are superuser-only, and default to off, 09:00-18:00, 2, 3, 24 hours, 91, 5, 90, 2, 3, 2 hours, 2 days, Asia/Kolkata, sub, 3');

SELECT * FROM finish();
ROLLBACK;
