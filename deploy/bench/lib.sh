# Shared steps of the benchmark scripts (sourced, not run). Each script cds to the repository root
# first and sets `rebuild` and `keep` (0/1) from its own options.

# The harnesses live in the bench module; its package phase copies its runtime classpath (deploy's
# launcher, core, sensor-protocol and their libraries) to bench/target/lib.
BENCH_CP="bench/target/classes:bench/target/lib/*"

# Builds what is missing, as deploy/run-local.sh does: the two services' jars, the deploy module and
# the bench module with the bench class $1 (simple name, in org.vitalvault.bench).
bench_build_if_missing() {
  if [ "$rebuild" = 1 ] || [ ! -f vault-service/target/quarkus-app-local/quarkus-run.jar ] \
     || [ ! -f sensor-gateway/target/quarkus-app/quarkus-run.jar ] || [ ! -d deploy/target/lib ] \
     || [ ! -d bench/target/lib ] || [ ! -f "bench/target/classes/org/vitalvault/bench/$1.class" ]; then
    echo "Building Vital Vault (mvn -DskipTests package)…"
    # copy-dependencies never removes a jar that is no longer a dependency
    rm -rf deploy/target/lib bench/target/lib
    mvn -B -q -DskipTests package
  fi
}

# Creates the work folder $WORK for bench $1 (removed on exit unless keep=1). A script with more to
# clean up defines bench_cleanup_extra before calling this.
bench_work_folder() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/vitalvault-$1-bench.XXXXXX")
  [ "$keep" = 1 ] && echo "work folder (kept after the run): $WORK"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  if declare -F bench_cleanup_extra >/dev/null; then
    bench_cleanup_extra
  fi
  if [ "$keep" = 0 ]; then
    rm -rf "$WORK"
  fi
}

# The services run as child processes for minutes: run a snapshot of their builds under $WORK/repo,
# so that a concurrent `mvn package` in this tree cannot change the jars under them. The vault runs
# its local-stack build (quarkus-app-local, with the development token mint), the gateway its only one.
bench_snapshot_services() {
  local b
  for b in vault-service/target/quarkus-app-local sensor-gateway/target/quarkus-app; do
    mkdir -p "$WORK/repo/$(dirname "$b")"
    cp -r "$b" "$WORK/repo/$(dirname "$b")/"
    echo "${b%%/*}: build of $(date -r "$b/app" '+%F %T %Z' 2>/dev/null || echo '?')"
  done
  # The local stack creates its least-privileged database logins from this script (decision 036).
  mkdir -p "$WORK/repo/deploy/db"
  cp deploy/db/roles.sql "$WORK/repo/deploy/db/"
}
