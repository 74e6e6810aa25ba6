#!/usr/bin/env bash
# Restores a backup taken with ops/backup.sh into a fresh database (pg_restore in one transaction: all or nothing).
# It refuses a database that already holds a schema of the backup, so that it never mixes a backup into live data.
# Start the service on the restored database with the same checkpoint signing key and the same Audit__StateFile as
# before: if the backup is older than the last checkpoint the service signed, the service signs nothing more
# (POST /api/audit/checkpoints answers 503 /problems/audit-log-halted) and the offline verifier reports TRUNCATED
# against the kept checkpoint. See docs/operations.md#backup-and-restore.
#
# Usage: ops/restore.sh FILE [pg_restore options...]
#   e.g. --no-owner --role=blk_owner when the roles of the backed-up cluster do not exist in the new one.
# The target database is named the libpq way (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD) or by DATABASE_URL.
set -euo pipefail

file="${1:?Usage: $0 FILE [pg_restore options...]}"
shift
[ -s "$file" ] || { echo "No backup at $file" >&2; exit 2; }
if [ -f "$file.sha256" ]; then
  (cd "$(dirname "$file")" && sha256sum --quiet --check "$(basename "$file").sha256") \
    || { echo "The backup $file does not match its checksum ($file.sha256)." >&2; exit 2; }
fi
db=()
[ -n "${DATABASE_URL:-}" ] && db=(--dbname="$DATABASE_URL")

# Schemas in the backup that the target already has: refuse.
schemas=$(pg_restore --list "$file" | awk '$4 == "SCHEMA" && $5 == "-" { print $6 }' | sort -u)
for schema in $schemas; do
  present=$(psql "${db[@]}" --no-password -XAtqc "SELECT count(*) FROM pg_namespace WHERE nspname = '$schema'")
  if [ "$present" != "0" ]; then
    echo "The target database already has the schema $schema: restore into a fresh database (or drop it first)." >&2
    exit 3
  fi
done

started=$(date +%s.%N)
if [ "${#db[@]}" -gt 0 ]; then
  pg_restore --exit-on-error --single-transaction --no-password "${db[@]}" "$@" "$file"
else
  pg_restore --exit-on-error --single-transaction --no-password --dbname="${PGDATABASE:-postgres}" "$@" "$file"
fi
psql "${db[@]}" --no-password -XAtqc "ANALYZE" >/dev/null
elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "Restored $file (${elapsed}s); schemas: $(echo $schemas)"
