#!/usr/bin/env bash
# Installs what building, testing and the demo need, on Debian 12 as root:
# PostgreSQL 15 with its server headers (PGXS), pgTAP and pg_prove, clang
# with libFuzzer for the fuzz targets, pg_cron (the no-show sweep's test),
# and Python with psycopg2 for the reference worker (worker/) and
# icalendar to parse the calendar invites in the tests.
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
  python3-icalendar
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run this as root (or with sudo)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
