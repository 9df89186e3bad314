-- Everyone books the same date and slot: at most slot_capacity per agent
-- may ever be live there.  A full slot is an expected refusal (PT409).
\set u random(1, 1000000)
SELECT public.bench_try_book('slot_user_' || :u::int, current_date + 30, 'morning');
