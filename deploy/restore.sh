#!/usr/bin/env bash
# Restores an archive deploy/backup.sh wrote into an EMPTY database (it migrates it to the
# archive's schema version first) and puts the keys back (decision 040). Refuses a corrupt
# archive, an unknown schema version, a non-empty database and a key file with other content.
#   VITALVAULT_DB_URL=jdbc:postgresql://localhost:15432/postgres VITALVAULT_DB_USER=postgres \
#     deploy/restore.sh --archive backups/vault-….zip --data-dir data
#   deploy/restore.sh verify --archive FILE      # checksums only, touches nothing
# A restore brings back owners erased after the backup: a vault with vitalvault.erasure.journal-file
# erases them again at start-up; without a journal, re-apply those erasures by hand (decision 040).
set -euo pipefail
. "$(dirname "$0")/backup-run.sh"
if [ "${1:-}" = verify ]; then shift; backup_run verify "$@"; else backup_run restore "$@"; fi
