#!/usr/bin/env bash
# Checks a lease document offline against the vault's public key (issue 6):
#   curl -s localhost:8080/vault/keys > vault-keys.json          # once, from a vault you trust
#   deploy/verify-lease.sh lease.jws vault-keys.json               # exit 0 valid, 1 invalid, 2 usage
# lease.jws holds the "document" member of the lease answer (a compact JWS). Needs the deploy module
# packaged: mvn -B -o package -pl deploy -am -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d deploy/target/lib ] || [ ! -d deploy/target/classes/org/vitalvault/deploy/verify ]; then
  echo "build first: mvn -B -o package -pl deploy -am -DskipTests" >&2
  exit 2
fi
exec java -cp "deploy/target/classes:deploy/target/lib/*" org.vitalvault.deploy.verify.LeaseVerifier "$@"
