-- Workload: book_site_visit for random users, dates and slots.
\set u random(1, 1000000)
\set d random(2, 90)
\set s random(1, 3)
SELECT visit_id FROM sched.book_site_visit('user_' || :u::int, 'Brigade Citrine', current_date + :d::int,
        (ARRAY['morning','afternoon','evening'])[:s::int]::sched.time_slot, 'Customer', '9876543210');
