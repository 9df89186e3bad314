-- Floor for set_visit_status: a bare UPDATE of the status column with
-- triggers off, on the next pending visit.
UPDATE sched.scheduled_visits SET status = 'confirmed'
 WHERE visit_id = (SELECT nextval('public.bench_floor_visit'));
