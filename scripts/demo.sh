#!/usr/bin/env bash
# The README's main job: builds a small demo database on the local PostgreSQL, backs it up with dbbackup, verifies
# the archive, restores it into a second database with a verification pass, and compares the two.
# Connection: the usual PG* variables (default: the local server as the current user).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dbbackup=./node_modules/.bin/dbbackup
source_db=${DEMO_DATABASE:-dbbackup_demo}
target_db=${source_db}_restored
backup_dir=${DEMO_BACKUP_DIR:-$PWD/demo-backups}

echo "== creating demo database $source_db"
dropdb --if-exists "$target_db"; dropdb --if-exists "$source_db"; createdb "$source_db"
psql -X -q -v ON_ERROR_STOP=1 -d "$source_db" -f scripts/demo.sql

echo "== dbbackup backup single $source_db"
mkdir -p "$backup_dir"
result=$("$dbbackup" backup single "$source_db" --db-type postgres --backup-dir "$backup_dir" --jobs 2 --format json --no-save-config)
echo "$result"
archive=$(node -e 'console.log(JSON.parse(process.argv[1]).path)' "$result")

echo "== dbbackup verify-backup $archive"
"$dbbackup" verify-backup "$archive"

echo "== dbbackup restore single -> $target_db"
"$dbbackup" restore single "$archive" --target "$target_db" --create --jobs 2 --no-save-config

echo "== comparing $source_db and $target_db"
checksum() {
  psql -X -At -d "$1" -c "SELECT string_agg(t || ':' || c, ' ' ORDER BY t) FROM (
    SELECT 'customers' t, md5(string_agg(x::text, E'\n' ORDER BY x::text)) c FROM customers x UNION ALL
    SELECT 'products', md5(string_agg(x::text, E'\n' ORDER BY x::text)) FROM products x UNION ALL
    SELECT 'orders', md5(string_agg(x::text, E'\n' ORDER BY x::text)) FROM orders x UNION ALL
    SELECT 'order_lines', md5(string_agg(x::text, E'\n' ORDER BY x::text)) FROM order_lines x) s"
}
schema() { pg_dump -s "$1" | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' | sed '/^$/d'; }
if [ "$(checksum "$source_db")" = "$(checksum "$target_db")" ] && diff <(schema "$source_db") <(schema "$target_db") >/dev/null; then
  echo "demo: OK: $target_db is identical to $source_db (schema and every row)"
else
  echo "demo: FAILED: $target_db differs from $source_db" >&2
  exit 1
fi
