#!/usr/bin/env bash
# Installs what building, testing and the demo need, on Debian 12 as root:
# PostgreSQL 15 with its server headers (PGXS), pgTAP and pg_prove, clang
# with libFuzzer for the fuzz targets, pg_cron (the no-show sweep's test),
# Python with psycopg2 for the reference worker (worker/), aiosmtpd and
# openssl for the local SMTP server with STARTTLS it sends to in
# test/worker_delivery.sh, and icalendar
# to parse the calendar invites in the tests, phonenumbers (libphonenumber,
# what test/unit checks sched's phone numbers against), libfaketime to move the
# server's clock (make check-clock), pgbouncer (test/pooler.sh), and Node with npm to fetch the other
# PostgreSQL majors (test/majors.sh) and PostGraphile (test/postgraphile).
# Does nothing when everything is there already.
set -euo pipefail

packages=(
  build-essential
  postgresql-15
  postgresql-server-dev-15
  postgresql-15-pgtap
  libtap-parser-sourcehandler-pgtap-perl
  clang-14
  libclang-rt-14-dev
  postgresql-15-cron
  python3
  python3-psycopg2
  python3-aiosmtpd
  openssl
  python3-icalendar
  python3-phonenumbers
  faketime
  nodejs
  pgbouncer
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm: NodeSource's nodejs carries it; Debian's nodejs needs Debian's npm
# (the two conflict, so npm is added only when there is none)
need_npm=0
command -v npm >/dev/null 2>&1 || need_npm=1
[ ${#missing[@]} -eq 0 ] && [ "$need_npm" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run this as root (or with sudo)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}${need_npm:+ (and npm if nodejs has none)}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
[ ${#missing[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
command -v npm >/dev/null 2>&1 || apt-get install -y -qq --no-install-recommends npm >/dev/null
# headers newer than the server build a library that does not load
# ("undefined symbol" at CREATE EXTENSION): keep the server at their version
if [ "$(dpkg-query -W -f='${Version}' postgresql-15)" != "$(dpkg-query -W -f='${Version}' postgresql-server-dev-15)" ]; then
  apt-get install -y -qq --no-install-recommends --only-upgrade postgresql-15 postgresql-client-15 >/dev/null
fi
