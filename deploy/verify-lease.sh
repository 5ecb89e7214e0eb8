#!/usr/bin/env bash
# Checks a lease document offline against the vault's public key (issue 6):
#   curl -s localhost:8080/vault/keys > vault-keys.json          # once, from a vault you trust
#   deploy/verify-lease.sh lease.jws vault-keys.json               # exit 0 valid, 1 invalid, 2 usage
# lease.jws holds the "document" member of the lease answer (a compact JWS). Builds the deploy
# module on first use (JDK 17 and Maven are all it needs).
set -euo pipefail
. "$(dirname "$0")/verifier-run.sh"
verifier_run LeaseVerifier "$@"
