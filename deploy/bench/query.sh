#!/usr/bin/env bash
# The query benchmark of issue 6, on this machine: the local stack (embedded PostgreSQL, the embedded
# broker, vault-service and sensor-gateway), 1,000 owners registered through the vault's REST API, each
# pairing a device and granting consent to one researcher organisation (Ed25519 key, approved by an
# operator); 30 days of heart rate per owner sealed exactly as the gateway seals them (HPKE epoch +
# BatchCipher, reading_batch rows over JDBC) and compacted by the vault; then, inside a signed lease,
# timed signed queries "daily mean and p90 of heart rate over the cohort, 30 days", and the relative
# error of single daily means released at ε = 1. The last line printed is
#   RESULT query owners=1000 days=30 p50_ms=… p99_ms=… rel_error_eps1=… hours=… register_s=… seed_s=… compaction_s=… decide_ms=… read_ms=… release_ms=…
#
#   deploy/bench/query.sh
#   deploy/bench/query.sh --help                # every option
#   # how the cost grows from 1,000 to 10,000 owners (same options for both; the 10k run takes ~20 min):
#   deploy/bench/query.sh --service-heap 2g --owners 1000 --hours 1 --releases 20
#   deploy/bench/query.sh --service-heap 2g --owners 10000 --hours 1 --releases 20
# Options of this script itself: --rebuild (rebuild the jars first), --keep (keep the work folder: logs, data),
# --service-heap SIZE (the vault's and gateway's -Xmx, default 512m).
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/bench/lib.sh

rebuild=0
keep=0
service_heap=512m
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild) rebuild=1 ;;
    --keep) keep=1 ;;
    --service-heap) service_heap="${2:?--service-heap needs a size such as 2g}"; shift ;;
    -h|--help)
      exec java -cp "$BENCH_CP" org.vitalvault.bench.QueryBench --help ;;
    *) args+=("$1") ;;
  esac
  shift
done

# 1. Build what is missing.
bench_build_if_missing QueryBench

bench_work_folder query

# 2. A snapshot of the service builds to run.
bench_snapshot_services

# 3. The bench (its last line is RESULT …). LocalStack hands -Dvitalvault.compaction.* and
#    -Dvitalvault.policy.* on to the vault. The ε caps are raised (defaults: 2 per lease, 10 per year)
#    only so that one run can release ~100 daily means at ε 1 for the error figure; the error of one
#    release does not depend on them.
set +e
java -Xms512m -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dvitalvault.stack.service-heap="$service_heap" \
  -Dvitalvault.compaction.interval=PT1S -Dvitalvault.compaction.min-batch-age=PT0S \
  -Dvitalvault.policy.max-epsilon-per-lease=20 -Dvitalvault.policy.max-epsilon-per-year=110 \
  -cp "$BENCH_CP" org.vitalvault.bench.QueryBench \
  --repo "$WORK/repo" --data "$WORK/data" ${args[@]+"${args[@]}"}
rc=$?
set -e
if [ $rc != 0 ]; then
  keep=1   # keep the logs of a failed run
  echo "query bench failed (exit $rc); logs kept in $WORK/data/logs" >&2
fi
exit $rc
