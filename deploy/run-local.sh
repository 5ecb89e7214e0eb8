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
  case "$a" in
    # The usage text lives in RunLocal; print it without building (the first build takes minutes).
    -h|--help)
      sed -n '/USAGE = """/,/""";/p' deploy/src/main/java/org/vitalvault/deploy/RunLocal.java | sed '1d;$d;s/^            //'
      echo "  --rebuild      rebuild the jars first (after pulling changes)"
      exit 0 ;;
    --rebuild) rebuild=1 ;;
    *) args+=("$a") ;;
  esac
done

# The vault runs from its local-stack build (quarkus-app-local: with the development token mint
# POST /dev/tokens, which the production build in quarkus-app leaves out).
# A build from another commit is stale (after a pull, ports and settings may have moved): rebuild.
stamp=deploy/target/.built-from
head=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [ "$head" != unknown ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" != "$head" ]; then
  echo "The jars were built from another commit ($(cut -c1-8 "$stamp")); rebuilding for $(echo "$head" | cut -c1-8)."
  rebuild=1
fi
if [ $rebuild = 1 ] || [ ! -f vault-service/target/quarkus-app-local/quarkus-run.jar ] \
   || [ ! -f sensor-gateway/target/quarkus-app/quarkus-run.jar ] || [ ! -d deploy/target/lib ] \
   || [ ! -d deploy/target/classes ] \
   || ! compgen -G 'deploy/target/lib/researcher-cli-*.jar' >/dev/null; then   # the sandbox's key file (a newer dependency)
  echo "Building Vital Vault (mvn -DskipTests package; the first build downloads for a few minutes)…"
  rm -rf deploy/target/lib   # copy-dependencies never removes a jar that is no longer a dependency
  # One line per module as Maven reaches it, so a long first build is not silent.
  mvn -B -DskipTests package 2>&1 | tee "${TMPDIR:-/tmp}/vitalvault-build.log" \
    | grep --line-buffered -E '^\[INFO\] Building |BUILD (SUCCESS|FAILURE)|^\[ERROR\]' | sed -u 's/^\[INFO\] /  /'
  [ "${PIPESTATUS[0]}" = 0 ] || { echo "build failed; full log: ${TMPDIR:-/tmp}/vitalvault-build.log" >&2; exit 1; }
  echo "$head" > "$stamp"
fi

# --keycloak: the Keycloak distribution (177 MB) comes from Maven Central into the local Maven
# repository once; RunLocal unpacks it under the data folder.
kc_version=26.7.3
kc_zip="${HOME}/.m2/repository/org/keycloak/keycloak-quarkus-dist/$kc_version/keycloak-quarkus-dist-$kc_version.zip"
if [[ " ${args[*]-} " == *" --keycloak "* ]] && [ ! -f "$kc_zip" ]; then
  echo "Fetching Keycloak $kc_version (177 MB, once) from Maven Central…"
  mvn -B -q dependency:get -Dtransitive=false -Dartifact="org.keycloak:keycloak-quarkus-dist:$kc_version:zip" \
    || { echo "could not fetch org.keycloak:keycloak-quarkus-dist:$kc_version:zip" >&2; exit 1; }
fi

exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "deploy/target/classes:deploy/target/lib/*" \
  org.vitalvault.deploy.RunLocal --repo "$PWD" ${args[@]+"${args[@]}"}
