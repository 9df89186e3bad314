-- Workload: request_callback for random users and urgencies.
\set u random(1, 1000000)
\set g random(1, 4)
SELECT callback_id FROM sched.request_callback('user_' || :u::int, 'Customer', '9876543210', 'pricing',
        (ARRAY['urgent','high','medium','low'])[:g::int]::sched.urgency);
