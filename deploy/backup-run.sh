# Sourced by backup.sh and restore.sh: runs org.vitalvault.deploy.backup.BackupTool from the deploy
# module's classes and library folder, building them once when missing (JDK 17 and Maven suffice).
backup_run() {
  local repo; repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  local target="$repo/deploy/target"
  if [ ! -f "$target/classes/org/vitalvault/deploy/backup/BackupTool.class" ] \
     || ! compgen -G "$target/lib/flyway-core-*.jar" >/dev/null; then
    local mvn=mvn
    command -v mvn >/dev/null || mvn="$repo/mvnw"
    echo "building the backup tool once: mvn -B -q -pl deploy -am -DskipTests -Dquarkus.build.skip=true package" >&2
    "$mvn" -B -q -f "$repo/pom.xml" -pl deploy -am -DskipTests -Dquarkus.build.skip=true package >&2
  fi
  exec java -cp "$target/classes:$target/lib/*" org.vitalvault.deploy.backup.BackupTool "$@"
}
