#!/usr/bin/env bash
# Backs up the vault: database (one consistent snapshot, binary COPY of every table), Flyway
# version, master key, signing key and JWT keys, into one archive with checksums (decision 040).
#   VITALVAULT_DB_URL=jdbc:postgresql://localhost:15432/postgres VITALVAULT_DB_USER=postgres \
#     deploy/backup.sh --data-dir data --out backups/vault-$(date -u +%Y%m%dT%H%M%SZ).zip
# Keys elsewhere: --kek FILE --signing-key FILE --jwt-private FILE --jwt-public FILE instead of --data-dir.
# The password, if any, in VITALVAULT_DB_PASSWORD (never on the command line).
set -euo pipefail
. "$(dirname "$0")/backup-run.sh"
backup_run backup "$@"
