#!/usr/bin/env bash
# The researcher command line (researcher-cli): keys, registration, signed lease requests and
# queries, CSV, offline verification of leases and answers. `deploy/researcher.sh --help` lists the
# commands; every command has --help. Builds its jar on first use (and after its sources or core's
# change) with Maven — only JDK 17 and Maven needed. Runs from any folder; relative paths are yours.
#   deploy/researcher.sh keygen --out lab.key
#   export VITALVAULT_TOKEN=$(deploy/researcher.sh dev-token lab-x)       # local stack only
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
jar=$repo/researcher-cli/target/researcher-cli.jar
if [ ! -f "$jar" ] || [ ! -d "$repo/researcher-cli/target/lib" ] \
   || [ -n "$(find "$repo/researcher-cli/src/main" "$repo/researcher-cli/pom.xml" "$repo/core/src/main" -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "Building the researcher CLI (mvn -B -q -pl researcher-cli -am -DskipTests package)…" >&2
  (cd "$repo" && mvn -B -q -pl researcher-cli -am -DskipTests package) >&2 \
    || { echo "researcher.sh: the build failed (see Maven's output above)" >&2; exit 2; }
fi
exec java -jar "$jar" "$@"
