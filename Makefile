# sched: PGXS build, tests and benchmarks.  See README.md for the two
# commands that do everything on a fresh machine.

EXTENSION = sched
EXTVERSION = 1.0

MODULE_big = sched
OBJS = src/sched.o src/plans.o src/columns.o src/checks.o \
       src/assignment.o src/guards.o src/announce.o src/notifier.o src/rowwriter.o \
       src/user_calls.o src/admin_calls.o \
       src/contact.o src/workflow.o
DATA = $(wildcard sql/$(EXTENSION)--*.sql)

# pg_regress: test/sql/NAME.sql against expected/NAME.out, in this order
# (extension creates the extension the others use).
REGRESS = extension story imports roles
REGRESS_OPTS = --inputdir=test

# Isolation specs: test/specs/NAME.spec against expected/NAME.out
ISOLATION = last_place turns idempotency key_last_place profile_count status_race notify
ISOLATION_OPTS = --inputdir=test --outputdir=.

PG_CPPFLAGS = -Wextra -Wno-unused-parameter -Wno-sign-compare \
              -Wno-missing-field-initializers
PG_CFLAGS = $(SCHED_EXTRA_CFLAGS)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies: every object depends on both headers.
$(OBJS): src/sched.h src/rules.h

# Unit tests and fuzzing of the pure rules (no server needed).
.PHONY: unit fuzz
unit:
	$(MAKE) -C test/unit check replay

fuzz:
	$(MAKE) -C test/unit fuzz

# Benchmarks (docs/performance.md): a throw-away cluster, floor and
# workload interleaved, ratios printed.  Not part of the tests.
.PHONY: bench bench-scale bench-callgrind
bench:
	bench/run.sh

bench-scale:
	bench/scale.sh

bench-callgrind:
	bench/callgrind.sh
