#!/usr/bin/env bash
# The vault benchmark of issue 4, on this machine: the local stack (embedded PostgreSQL with fsync on,
# the embedded HiveMQ broker with per-device authentication, vault-service and the real sensor-gateway
# process), one owner with one device, 30 days of 1 Hz heart rate (2,592,000 readings) published by
# that device as SenML JSON over MQTT through the gateway, compacted by the vault, then: bytes per
# reading, owner series reads and the FHIR export through HTTP. The last line printed is
#   RESULT vault bytes_per_reading=… series_24h_raw_ms=… series_30d_hourly_ms=… export_readings_per_s=…
#
#   deploy/bench/vault.sh
#   deploy/bench/vault.sh --jfr /tmp/vault      # also profile the vault during each read phase
#   deploy/bench/vault.sh --help                # every option
# Options of this script itself: --rebuild (rebuild the jars first), --keep (keep the work folder: logs,
# data), --compaction-interval ISO (the vault's vitalvault.compaction.interval for the run, default PT1S).
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/bench/lib.sh

rebuild=0
keep=0
interval=PT1S
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild) rebuild=1 ;;
    --keep) keep=1 ;;
    --compaction-interval) interval="$2"; shift ;;
    -h|--help)
      exec java -cp "$BENCH_CP" org.vitalvault.bench.VaultBench --help ;;
    *) args+=("$1") ;;
  esac
  shift
done

# 1. Build what is missing.
bench_build_if_missing VaultBench

bench_work_folder vault

# 2. A snapshot of the service builds to run.
bench_snapshot_services

# 3. The bench (its last line is RESULT …). LocalStack hands -Dvitalvault.compaction.* on to the vault.
set +e
java -Xms512m -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dvitalvault.compaction.interval="$interval" -Dvitalvault.compaction.min-batch-age=PT0S \
  -cp "$BENCH_CP" org.vitalvault.bench.VaultBench \
  --repo "$WORK/repo" --data "$WORK/data" ${args[@]+"${args[@]}"}
rc=$?
set -e
if [ $rc != 0 ]; then
  keep=1   # keep the logs of a failed run
  echo "vault bench failed (exit $rc); logs kept in $WORK/data/logs" >&2
fi
exit $rc
