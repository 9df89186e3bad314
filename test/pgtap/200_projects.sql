-- pgTAP: sched.projects (1.3).  Empty, any project is booked (1.2's rule);
-- with rows, every booking path names an active project (22023), and
-- visit_ics gives its location.  Every session sees a change at once.
BEGIN;
SELECT plan(14);
\ir include/clock.sql

UPDATE sched.agents SET active = false;
INSERT INTO sched.agents (name, phone, slot_capacity) VALUES ('T200 Agent', '9876502001', 10);
SET LOCAL sched.business_hours = '00:00-24:00';

SELECT is((SELECT count(*)::int FROM sched.projects), 0, 'a new install has no projects');
SELECT lives_ok($$SELECT sched.book_site_visit('t200_u', 'Anything Goes', pg_temp.today() + 3, 'morning', 'Kiran', '9876520001')$$,
  'with sched.projects empty any project is booked, as in 1.2');
SELECT throws_ok($$SELECT sched.book_site_visit('t200_u', 'See www.example.com', pg_temp.today() + 3, 'morning', 'Kiran', '9876520001')$$,
  '22023', 'project must not contain a link or markup', 'but not one that looks like a link (it goes into the texts)');

INSERT INTO sched.projects (project, location, active) VALUES
  ('Brigade Citrine', 'Old Madras Road, Bengaluru', true),
  ('Prestige Lakeside', NULL, true),
  ('Sobha Closed', 'Whitefield', false);
SELECT throws_ok($$SELECT sched.book_site_visit('t200_u', 'Anything Goes', pg_temp.today() + 3, 'morning', 'Kiran', '9876520001')$$,
  '22023', 'project "Anything Goes" does not take bookings', 'once it has rows, a project it does not list is refused');
SELECT throws_ok($$SELECT sched.book_site_visit('t200_u', 'Sobha Closed', pg_temp.today() + 3, 'morning', 'Kiran', '9876520001')$$,
  '22023', 'project "Sobha Closed" does not take bookings', 'so is an inactive one');
SELECT throws_ok($$SELECT sched.book_site_visit('t200_u', 'brigade citrine', pg_temp.today() + 3, 'morning', 'Kiran', '9876520001')$$,
  '22023', NULL, 'the name is matched exactly');
SELECT lives_ok($$SELECT sched.book_site_visit('t200_u', 'Brigade Citrine', pg_temp.today() + 3, 'morning', 'Kiran', '9876520001')$$,
  'an active project is booked');
SELECT throws_ok($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone)
    VALUES ('t200_u', 'Nowhere', pg_temp.today() + 3, 'morning', 'Kiran', '9876520001')$$,
  '22023', 'project "Nowhere" does not take bookings', 'a DBA''s INSERT too');
SELECT throws_ok($$UPDATE sched.scheduled_visits SET project = 'Sobha Closed' WHERE user_id = 't200_u' AND project = 'Brigade Citrine'$$,
  '22023', 'project "Sobha Closed" does not take bookings', 'and an UPDATE moving a visit to another project');
SELECT lives_ok($$INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone,
    agent_id, status, created_at)
    SELECT 't200_u', 'Old Project', pg_temp.today() - 30, 'morning', 'Kiran', '9876520001', agent_id, 'completed', now() - interval '40 days'
      FROM sched.agents WHERE name = 'T200 Agent'$$,
  'an import (a restore of old visits) keeps its project as given');
SELECT throws_ok($$SELECT * FROM sched.available_slots('Sobha Closed')$$, '22023', 'project "Sobha Closed" does not take bookings',
  'available_slots offers no slot of a project that does not take bookings');
SELECT is((SELECT count(*)::int FROM sched.available_slots('Prestige Lakeside', days => 3) WHERE free > 0) > 0, true,
  'and does offer an active one''s');
SELECT ok(strpos(sched.visit_ics((SELECT visit_id FROM sched.scheduled_visits WHERE user_id = 't200_u' AND project = 'Brigade Citrine')),
                 'LOCATION:Brigade Citrine\, Old Madras Road\, Bengaluru') > 0,
  'visit_ics gives the project''s location');
UPDATE sched.projects SET active = true WHERE project = 'Sobha Closed';
SELECT lives_ok($$SELECT sched.book_site_visit('t200_u', 'Sobha Closed', pg_temp.today() + 4, 'morning', 'Kiran', '9876520001')$$,
  'a project opened again takes bookings at once (the session''s copy is read again)');

SELECT * FROM finish();
ROLLBACK;
