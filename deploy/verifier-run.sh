# Sourced by verify-lease.sh and verify-answer.sh: runs one of the offline verifiers
# (org.vitalvault.deploy.verify), building the deploy module first when its classes or libraries
# are missing, so the scripts work from a fresh clone with only JDK 17 and Maven (or ./mvnw).
# The build prints to stderr; stdout is the verifier's alone. File arguments stay relative to the
# caller's directory (no cd).

verifier_run() {
  local class=$1; shift
  local repo; repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  local target="$repo/deploy/target"
  if ! command -v java >/dev/null; then
    echo "java (JDK 17) is not on the PATH" >&2
    exit 2
  fi
  if [ ! -f "$target/classes/org/vitalvault/deploy/verify/$class.class" ] \
     || ! compgen -G "$target/lib/core-*.jar" >/dev/null || ! compgen -G "$target/lib/jackson-databind-*.jar" >/dev/null; then
    local mvn=mvn
    command -v mvn >/dev/null || mvn="$repo/mvnw"
    echo "building the offline verifier once: mvn -B -q -pl deploy -am -DskipTests -Dquarkus.build.skip=true package" \
         "(the first build downloads for a few minutes)" >&2
    # No tests, no Quarkus application build: only the classes and the library folder the verifier runs from.
    if ! "$mvn" -B -q -f "$repo/pom.xml" -pl deploy -am -DskipTests -Dquarkus.build.skip=true package >&2; then
      echo "the build failed (see above); the verifier needs JDK 17 and Maven 3.8 or later" >&2
      exit 2
    fi
  fi
  exec java -cp "$target/classes:$target/lib/*" "org.vitalvault.deploy.verify.$class" "$@"
}
