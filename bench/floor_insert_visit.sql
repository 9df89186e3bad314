-- Floor for book_site_visit: the same row INSERTed with triggers off
-- (run with session_replication_role = replica); the ref, which sched's
-- trigger writes, given as a text of its length.
\set u random(1, 1000000)
\set d random(2, 90)
\set s random(1, 3)
\set a random(1, 50)
INSERT INTO sched.scheduled_visits (user_id, project, visit_date, time_slot, contact_name, contact_phone, agent_id, ref)
VALUES ('user_' || :u::int, 'Brigade Citrine', current_date + :d::int,
        (ARRAY['morning','afternoon','evening'])[:s::int]::sched.time_slot, 'Customer', '+919876543210', :a::int,
        'visit_' || :u::int);
