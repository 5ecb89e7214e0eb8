#!/usr/bin/env bash
# Checks a query answer offline against the vault's public key (issue 13):
#   curl -s localhost:8080/vault/keys > vault-keys.json                  # once, from a vault you trust
#   deploy/verify-answer.sh answer.json vault-keys.json [query.jws [lease.jws]]
# answer.json is the body of the query's 200 answer, with its "signed" member (the vault's JWS,
# typ vitalvault.query-answer). Valid: the signature is the vault's, every other member equals what
# it signed, and, when given, query.jws is the signed query answered (queryDigest) and lease.jws the
# lease document it was answered under (leaseDigest). Exit 0 valid, 1 invalid, 2 usage or input
# error. Builds the deploy module on first use (JDK 17 and Maven are all it needs).
set -euo pipefail
. "$(dirname "$0")/verifier-run.sh"
verifier_run AnswerVerifier "$@"
