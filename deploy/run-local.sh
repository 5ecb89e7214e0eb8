#!/usr/bin/env bash
# The whole Vital Vault stack on this machine: embedded PostgreSQL and MQTT broker, vault-service,
# sensor-gateway, and with --simulate N a fleet of simulated owners. Needs only JDK 17 and Maven.
#   deploy/run-local.sh --simulate 10        # Ctrl-C stops; data stays in ./data
#   deploy/run-local.sh --rebuild ...        # rebuild the jars first (after pulling changes)
set -euo pipefail
cd "$(dirname "$0")/.."

rebuild=0
args=()
for a in "$@"; do
  if [ "$a" = "--rebuild" ]; then rebuild=1; else args+=("$a"); fi
done

# The vault runs from its local-stack build (quarkus-app-local: with the development token mint
# POST /dev/tokens, which the production build in quarkus-app leaves out).
if [ $rebuild = 1 ] || [ ! -f vault-service/target/quarkus-app-local/quarkus-run.jar ] \
   || [ ! -f sensor-gateway/target/quarkus-app/quarkus-run.jar ] || [ ! -d deploy/target/lib ] \
   || [ ! -d deploy/target/classes ]; then
  echo "Building Vital Vault (mvn -DskipTests package)…"
  rm -rf deploy/target/lib   # copy-dependencies never removes a jar that is no longer a dependency
  mvn -B -q -DskipTests package
fi

exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "deploy/target/classes:deploy/target/lib/*" \
  org.vitalvault.deploy.RunLocal --repo "$PWD" ${args[@]+"${args[@]}"}
