# sched: PGXS build, tests and benchmarks.  See README.md for the two
# commands that do everything on a fresh machine.

EXTENSION = sched
EXTVERSION = 1.0

MODULE_big = sched
OBJS = src/sched.o src/plans.o src/columns.o src/checks.o \
       src/assignment.o src/guards.o src/announce.o \
       src/user_calls.o src/admin_calls.o \
       src/contact.o src/workflow.o
DATA = $(wildcard sql/$(EXTENSION)--*.sql)

# pg_regress: test/sql/NAME.sql against expected/NAME.out
REGRESS = $(patsubst test/sql/%.sql,%,$(sort $(wildcard test/sql/*.sql)))
REGRESS_OPTS = --inputdir=test

PG_CPPFLAGS = -Wextra -Wno-unused-parameter -Wno-sign-compare \
              -Wno-missing-field-initializers
PG_CFLAGS = $(SCHED_EXTRA_CFLAGS)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
