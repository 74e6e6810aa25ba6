#!/usr/bin/env bash
# Takes a logical backup of the service's database with pg_dump (custom format, compressed), consistent as of one
# snapshot. It holds the events, the read model, the audit log's leaves and checkpoints and Wolverine's durable
# messages; it never holds the checkpoint signing key nor the copy of the last signed checkpoint the service keeps
# outside the database (Audit__StateFile): keep those out of the backups, that copy is what detects an older restore.
#
# Usage: ops/backup.sh FILE [SCHEMA]
#   FILE    where to write the backup (written to FILE.partial first, then renamed; FILE.sha256 beside it)
#   SCHEMA  only this schema (default: the whole database)
# The database is named the libpq way: PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD (or PGPASSFILE), or a connection
# URI in DATABASE_URL. Use a role that may read every table of the schema (the schema owner, see ops/db-roles.sql).
# For point-in-time recovery use the continuous backup of the database cluster (docs/operations.md#backup-and-restore).
set -euo pipefail

file="${1:?Usage: $0 FILE [SCHEMA]}"
schema="${2:-}"
args=(--format=custom --compress=6 --no-password --file="$file.partial")
[ -n "$schema" ] && args+=(--schema="$schema")
[ -n "${DATABASE_URL:-}" ] && args+=(--dbname="$DATABASE_URL")

started=$(date +%s.%N)
rm -f "$file.partial"
pg_dump "${args[@]}"
mv "$file.partial" "$file"
(cd "$(dirname "$file")" && sha256sum "$(basename "$file")" >"$(basename "$file").sha256")
elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "Backup written to $file ($(stat -c %s "$file") bytes, ${elapsed}s)"
