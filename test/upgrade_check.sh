#!/usr/bin/env bash
# A database upgraded from 1.0 (CREATE EXTENSION sched VERSION '1.0';
# ALTER EXTENSION sched UPDATE) must be the same as a fresh install of the
# newest version: the same types, tables, columns, defaults, constraints,
# indexes, triggers, functions, comments, privileges and dump marks.  Run
# inside a cluster (test/run-in-cluster.sh).
set -euo pipefail

fresh=sched_upgrade_fresh
upgraded=sched_upgrade_old
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
work=$(mktemp -d /tmp/sched-upgrade.XXXXXX)
trap 'rm -rf "$work"' EXIT

for db in "$fresh" "$upgraded"; do dropdb --if-exists "$db"; createdb "$db"; done
q -d "$fresh" -c "CREATE EXTENSION sched"
q -d "$upgraded" -c "CREATE EXTENSION sched VERSION '1.0'" -c "ALTER EXTENSION sched UPDATE"

# Everything the extension is made of, as sorted text.
describe() {
  q -d "$1" <<'SQL'
WITH ext AS (SELECT oid, extversion, extconfig FROM pg_extension WHERE extname = 'sched')
SELECT 'version ' || extversion FROM ext
UNION ALL
SELECT 'dump ' || c::regclass::text FROM ext, unnest(extconfig) c
UNION ALL
SELECT 'member ' || pg_describe_object(d.classid, d.objid, d.objsubid)
  FROM pg_depend d, ext WHERE d.refobjid = ext.oid AND d.deptype = 'e'
UNION ALL
SELECT 'column ' || a.attrelid::regclass || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
       || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
       || coalesce(' comment ' || col_description(a.attrelid, a.attnum), '')
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
 WHERE c.relnamespace = 'sched'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
 WHERE c.relnamespace = 'sched'::regnamespace
UNION ALL
SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'sched'::regnamespace
UNION ALL
SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE c.relnamespace = 'sched'::regnamespace AND NOT t.tgisinternal
UNION ALL
SELECT 'function ' || pg_get_functiondef(p.oid) || coalesce(' comment ' || obj_description(p.oid, 'pg_proc'), '')
       || ' acl ' || coalesce(p.proacl::text, 'default')
  FROM pg_proc p WHERE p.pronamespace = 'sched'::regnamespace
UNION ALL
SELECT 'relation ' || c.oid::regclass || ' ' || c.relkind::text || coalesce(' comment ' || obj_description(c.oid, 'pg_class'), '')
       || ' acl ' || coalesce(c.relacl::text, 'default')
  FROM pg_class c WHERE c.relnamespace = 'sched'::regnamespace
UNION ALL
SELECT 'type ' || t.typname || coalesce(' comment ' || obj_description(t.oid, 'pg_type'), '')
       || coalesce(' labels ' || (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid), '')
  FROM pg_type t WHERE t.typnamespace = 'sched'::regnamespace AND t.typtype = 'e'
ORDER BY 1;
SQL
}

describe "$fresh" > "$work/fresh"
describe "$upgraded" > "$work/upgraded"
if ! diff -u "$work/fresh" "$work/upgraded"; then
  echo "upgrade_check: a database updated from 1.0 differs from a fresh install (above)" >&2
  exit 1
fi
echo "upgrade_check: 1.0 + ALTER EXTENSION UPDATE = fresh $(q -d "$fresh" -c "SELECT extversion FROM pg_extension WHERE extname = 'sched'") ($(wc -l < "$work/fresh") catalog lines compared)"
for db in "$fresh" "$upgraded"; do dropdb "$db"; done
