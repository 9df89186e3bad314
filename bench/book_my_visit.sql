-- Workload: book_my_visit by customers with their own tokens, each
-- request as PostgREST runs it: a transaction, the token's claims and role
-- set for it, then the call (the lead score from the profile, the
-- open-item limits checked under the user's and the phone's locks).
-- Users are drawn from ten million, so none reaches the limit of 3.
\set u random(1, 10000000)
\set d random(2, 90)
\set s random(1, 3)
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "user_' || :u || '", "role": "bench_customer"}', true);
SET LOCAL ROLE bench_customer;
SELECT visit_id FROM sched.book_my_visit('Brigade Citrine', current_date + :d::int,
        (ARRAY['morning','afternoon','evening'])[:s::int]::sched.time_slot, 'Customer', '9' || lpad(:u::text, 9, '0'));
COMMIT;
