#!/usr/bin/env bash
# make check-clock: pg_regress, the isolation specs and pgTAP
# (test/run-suites.sh) in a throw-away cluster whose clock is moved with
# libfaketime, once for each time given, so that no test depends on what
# time it is now.
#
#   test/check-clock.sh [HH:MM[@ZONE]]...
#
# HH:MM is the server's UTC time of day (today's date); ZONE, when given,
# is the machine's time zone (TZ) for the server and the tests, which sets
# the sessions' TimeZone.  Without arguments it runs the full set below:
# both sides of midnight, inside and outside the business hours of
# Asia/Kolkata (09:00-18:00 = 03:30-12:30 UTC), the minutes around 18:00
# there (when today's last slot ends and late callbacks move to the next
# morning), and the hours when the business's date is not UTC's (after
# 18:30 UTC) or not the session's.  Expects sched built and installed
# (test/run-all.sh does both).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -eq 0 ]; then
  set -- 00:30@UTC 05:00@Asia/Kolkata 12:29@America/Los_Angeles 12:31@Pacific/Kiritimati \
         13:00@UTC 18:45@Etc/GMT+12 21:15@Asia/Kolkata 23:50@Pacific/Kiritimati
fi
for at in "$@"; do
  time=${at%%@*}
  zone=UTC
  [ "$time" != "$at" ] && zone=${at#*@}
  echo "== server clock at $time UTC, machine time zone $zone"
  test/cluster.sh -t "$time" -z "$zone" test/run-in-cluster.sh
done
echo "== check-clock: every suite passed at ${*}"
