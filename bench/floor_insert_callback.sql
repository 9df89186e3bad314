-- Floor for request_callback: the same row INSERTed with triggers off (the
-- ref, which sched's trigger writes, given as a text of its length).
\set u random(1, 1000000)
\set g random(1, 4)
\set a random(1, 50)
INSERT INTO sched.callbacks (user_id, contact_name, contact_phone, reason, urgency, due_at, agent_id, ref)
VALUES ('user_' || :u::int, 'Customer', '+919876543210', 'pricing',
        (ARRAY['urgent','high','medium','low'])[:g::int]::sched.urgency, now() + interval '4 hours', :a::int,
        'callback_' || :u::int);
