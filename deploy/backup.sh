#!/usr/bin/env bash
# CPE backups (README.md in this folder, "Backups"), run on the Docker host next to compose.yaml.
#
#   backup.sh            one backup: the database (pg_dump, read back before it counts) and the stored files (the
#                        MinIO bucket, mirrored); dumps older than KEEP_DAYS are deleted
#   backup.sh drill [F]  restore drill: restores dump F (default: the newest) into a scratch database beside the live
#                        one, compares it with the live one, and drops it
#
# Settings (environment): BACKUP_DIR (default: backups/ next to this script), KEEP_DAYS (default 14).
# cron, nightly at 02:15:  15 2 * * *  /opt/cpe/deploy/backup.sh >> /var/log/cpe-backup.log 2>&1
set -euo pipefail
cd "$(dirname "$0")"

backup_dir="${BACKUP_DIR:-$PWD/backups}"
keep_days="${KEEP_DAYS:-14}"
umask 077
mkdir -p "$backup_dir/db" "$backup_dir/files"
backup_dir="$(cd "$backup_dir" && pwd)"

log() { printf '%s %s\n' "$(date '+%F %T')" "$*"; }
pg() { docker compose exec -T postgres "$@"; }

backup() {
  local dump
  dump="$backup_dir/db/cpe-$(date +%Y%m%d-%H%M%S).dump"
  trap 'rm -f "$dump.partial"' EXIT

  # pg_dump reads one snapshot: consistent while the platform keeps running.
  log "database → $dump"
  pg pg_dump --username=cpe --dbname=cpe --format=custom --compress=6 >"$dump.partial"
  # A truncated or unreadable archive fails tonight, not on the day it is needed.
  pg pg_restore --list <"$dump.partial" >/dev/null
  mv "$dump.partial" "$dump"

  # Uploads, course videos and generated PDFs live in the bucket. New and changed objects are copied; nothing is
  # deleted from the copy (an object deleted by mistake stays recoverable).
  log "files → $backup_dir/files"
  docker compose run --rm --no-deps -T -v "$backup_dir/files:/backup" --entrypoint /bin/sh minio-init -ec \
    'mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
     mc mirror --overwrite --quiet "local/$S3_BUCKET" "/backup/$S3_BUCKET"'

  find "$backup_dir/db" -name 'cpe-*.dump' -mtime +"$keep_days" -delete
  log "done: $(du -h "$dump" | cut -f1) database, $(du -sh "$backup_dir/files" | cut -f1) files"
}

# What is compared between the live database and the restored one.
readonly CHECK_SQL="
select 'migrations', count(*)::text from drizzle.__drizzle_migrations
union all select 'accounts', count(*)::text from accounts
union all select 'staff_accounts', count(*)::text from staff_accounts
union all select 'audit_logs', count(*)::text from audit_logs
union all select 'latest audit entry', coalesce(max(at)::text, '-') from audit_logs"

drill() {
  local dump="${1:-}"
  if [ -z "$dump" ]; then
    dump="$(find "$backup_dir/db" -name 'cpe-*.dump' | sort | tail -n 1)"
  fi
  [ -f "$dump" ] || {
    echo "no dump to restore (${dump:-none in $backup_dir/db})" >&2
    exit 1
  }
  local scratch=cpe_restore_drill
  trap 'pg dropdb --username=cpe --if-exists "$scratch" >/dev/null 2>&1 || true' EXIT

  log "restoring $dump into $scratch"
  pg dropdb --username=cpe --if-exists "$scratch"
  pg createdb --username=cpe "$scratch"
  pg pg_restore --username=cpe --dbname="$scratch" --no-owner --exit-on-error <"$dump"

  log "live database (now) | restored dump"
  paste -d '|' \
    <(pg psql --username=cpe --dbname=cpe -At -F ': ' -c "$CHECK_SQL") \
    <(pg psql --username=cpe --dbname="$scratch" -At -F ': ' -c "$CHECK_SQL")
  local live restored
  live="$(pg psql --username=cpe --dbname=cpe -At -c 'select count(*) from drizzle.__drizzle_migrations')"
  restored="$(pg psql --username=cpe --dbname="$scratch" -At -c 'select count(*) from drizzle.__drizzle_migrations')"
  if [ "$live" != "$restored" ]; then
    echo "the dump has $restored migrations, the live database $live: it predates an upgrade" >&2
  fi
  log "restore drill passed; $scratch is dropped"
}

case "${1:-backup}" in
  backup) backup ;;
  drill) drill "${2:-}" ;;
  *)
    echo "usage: $0 [backup | drill [dump-file]]" >&2
    exit 2
    ;;
esac
