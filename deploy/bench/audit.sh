#!/usr/bin/env bash
# The transparency-log benchmark of issue 17, on this machine: an embedded PostgreSQL (fsync and
# synchronous commit on, as the local stack runs it) with every migration applied, owners created in
# SQL, then the log filled to 10,000,000 entries through the vault's own code (sealed-store
# AuditAppender with AES-256-GCM sealing in OwnerTextSeal's format, AuditIntegrator as the vault's
# sequencer on its own connection, the checkpoint signer), the last 1,000,000 entries as the measured
# window (research queries of 1,000 owners per transaction, single-owner transactions, deployment
# entries); then inclusion, page and consistency proofs and checkpoints at the full tree, and the size
# of the audit tables. No HTTP and no vault process: the log's cost is its SQL and its hashing. The
# last line printed is
#   RESULT audit entries=… append_per_s=… proof_p99_ms=… checkpoint_ms=…
#
#   deploy/bench/audit.sh                      # 10,000,000 entries (~8 GB of tables, ~7 min on 2 idle cores)
#   deploy/bench/audit.sh --entries 1000000    # smaller
#   deploy/bench/audit.sh --jfr /tmp/audit     # also profile this JVM in the window, the proofs and the checkpoints
#   deploy/bench/audit.sh --help               # every option
# Options of this script itself: --rebuild (rebuild the jars first), --keep (keep the work folder: the
# PostgreSQL data directory and its log).
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/bench/lib.sh

rebuild=0
keep=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild) rebuild=1 ;;
    --keep) keep=1 ;;
    -h|--help)
      exec java -cp "$BENCH_CP" org.vitalvault.bench.AuditBench --help ;;
    *) args+=("$1") ;;
  esac
  shift
done

# 1. Build what is missing (the bench needs no service jar, only the bench module and its classpath).
if [ "$rebuild" = 1 ] || [ ! -d bench/target/lib ] || [ ! -f bench/target/classes/org/vitalvault/bench/AuditBench.class ]; then
  echo "Building Vital Vault's bench module (mvn -DskipTests package)…"
  rm -rf deploy/target/lib bench/target/lib
  mvn -B -q -DskipTests -pl bench -am package
fi

bench_work_folder audit

# 2. The bench (its last line is RESULT …).
set +e
java -Xms512m -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$BENCH_CP" org.vitalvault.bench.AuditBench \
  --data "$WORK/data" ${args[@]+"${args[@]}"}
rc=$?
set -e
if [ $rc != 0 ]; then
  keep=1   # keep the PostgreSQL log of a failed run
  echo "audit bench failed (exit $rc); PostgreSQL's log kept in $WORK/data/postgres.log" >&2
fi
exit $rc
