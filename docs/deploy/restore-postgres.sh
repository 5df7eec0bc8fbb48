#!/usr/bin/env bash
# Restore a dump made by backup-postgres.sh into the database DATABASE_URL names.
#
#   DATABASE_URL=postgresql+psycopg://mesatic@db/mesatic_restaurada \
#       docs/deploy/restore-postgres.sh /var/backups/mesatic/mesatic-20211115-0230.dump --yes
#
# Stop the web and the scheduler first. Best into a new, empty database (createdb, then
# CREATE EXTENSION unaccent as a superuser if the owner may not), then point DATABASE_URL at it;
# into an existing one, --clean drops every object of the dump before recreating it. One
# transaction: an error leaves the database as it was. Tested by tests/deploy/test_postgres_backup.py.
set -euo pipefail

file="${1:?usage: restore-postgres.sh FILE.dump --yes}"
if [ "${2:-}" != "--yes" ]; then
    echo "Esto reemplaza el contenido de la base de DATABASE_URL con $file." >&2
    echo "Detenga antes la web y el programador de tareas y repita con --yes." >&2
    exit 2
fi
url="${DATABASE_URL:?set DATABASE_URL}"
url="${url/#postgresql+psycopg:/postgresql:}"

pg_restore --list "$file" >/dev/null  # a readable archive, or nothing is touched
pg_restore --dbname="$url" --clean --if-exists --no-owner --no-privileges \
    --single-transaction --exit-on-error "$file"
echo "Restaurada $file. Ejecute 'flask db upgrade' si la copia es de una versión anterior."
