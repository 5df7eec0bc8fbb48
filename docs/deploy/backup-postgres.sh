#!/usr/bin/env bash
# Dump the Mesa TIC PostgreSQL database and keep the newest BACKUP_KEEP dumps (docs/deploy.md).
#
#   DATABASE_URL=postgresql+psycopg://mesatic@db/mesatic docs/deploy/backup-postgres.sh [DIR]
#
# DIR defaults to BACKUP_DIR, then /var/backups/mesatic. The dump (pg_dump's custom format,
# mesatic-YYYYmmdd-HHMM.dump in Mexico City time) is written under a temporary name, read back
# with pg_restore --list, and only then renamed: a file named mesatic-*.dump is always whole.
# Prints the dump's path. Tested by tests/deploy/test_postgres_backup.py.
set -euo pipefail

url="${DATABASE_URL:?set DATABASE_URL}"
url="${url/#postgresql+psycopg:/postgresql:}"  # libpq does not know SQLAlchemy's driver suffix
dir="${1:-${BACKUP_DIR:-/var/backups/mesatic}}"
keep="${BACKUP_KEEP:-14}"

mkdir -p "$dir"
name="mesatic-$(TZ=America/Mexico_City date +%Y%m%d-%H%M).dump"
tmp="$dir/.$name.tmp"
trap 'rm -f "$tmp"' EXIT

pg_dump --dbname="$url" --format=custom --no-owner --no-privileges --file="$tmp"
pg_restore --list "$tmp" >/dev/null
mv -f "$tmp" "$dir/$name"

find "$dir" -maxdepth 1 -type f -name 'mesatic-*.dump' | sort -r | tail -n "+$((keep + 1))" |
    xargs -r rm -f --
echo "$dir/$name"
