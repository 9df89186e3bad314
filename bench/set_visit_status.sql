-- Workload: set_visit_status pending -> confirmed on the next pending visit.
SELECT status FROM sched.set_visit_status((SELECT nextval('public.bench_workload_visit')), 'confirmed');
