#!/usr/bin/env bash
# The web app benchmark of issue 16, on this machine: the local stack (embedded PostgreSQL with fsync
# on, the embedded HiveMQ broker with per-device authentication, vault-service's local build with the
# dev login, sensor-gateway), one owner with one device and 30 days of 1 Hz heart rate (2,592,000
# readings; the last 24 h are the 86,400 points of the raw chart) published through the gateway and
# compacted by the vault (hourly rollups), then headless Chromium logs in through the dev login and
# loads the home page, the 24 h chart (raw) and the 30-day chart (hourly), each as a new document,
# after a warm-up. The last line printed is
#   RESULT app home_ms=… chart_24h_raw_ms=… chart_30d_hour_ms=…
# (medians of navigation start → performance.mark 'vv-home-ready' / 'vv-chart-drawn').
#
#   deploy/bench/app.sh
#   deploy/bench/app.sh --runs 30               # more timed loads per page
#   deploy/bench/app.sh --help                  # every option
# Options of this script itself: --rebuild (rebuild the jars first), --keep (keep the work folder: logs,
# data, screenshots of a failed page).
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
      exec java -cp "$BENCH_CP" org.vitalvault.bench.AppBench --help ;;
    *) args+=("$1") ;;
  esac
  shift
done

# 1. Chromium and its driver from Debian (as .ci/run installs them).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing chromium and chromium-driver (apt-get)…"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null
  else
    echo "chromium is missing: sudo apt-get install -y chromium chromium-driver" >&2
    exit 1
  fi
fi

# 2. Build what is missing. The app's pages are files inside the vault's jar: a build older than any
#    of them would serve old pages (or none), so it is rebuilt.
app_files=vault-service/src/main/resources/META-INF/resources/app
if [ -f vault-service/target/quarkus-app-local/quarkus-run.jar ] && [ -d "$app_files" ] \
   && [ -n "$(find "$app_files" -newer vault-service/target/quarkus-app-local/quarkus-run.jar -print -quit)" ]; then
  echo "The app's files changed since the vault was built; rebuilding."
  rebuild=1
fi
bench_build_if_missing AppBench

bench_work_folder app

# 3. A snapshot of the service builds to run.
bench_snapshot_services

# 4. The bench (its last line is RESULT …). LocalStack hands -Dvitalvault.compaction.* on to the vault:
#    compaction every second and without waiting for hours to settle, so the 30-day chart reads real
#    hourly rollups minutes after the load.
set +e
java -Xms512m -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dvitalvault.compaction.interval=PT1S -Dvitalvault.compaction.min-batch-age=PT0S \
  -cp "$BENCH_CP" org.vitalvault.bench.AppBench \
  --repo "$WORK/repo" --data "$WORK/data" ${args[@]+"${args[@]}"}
rc=$?
set -e
if [ $rc != 0 ]; then
  keep=1   # keep the logs (and the browser's screenshots) of a failed run
  echo "app bench failed (exit $rc); logs kept in $WORK/data/logs, screenshots in $WORK/data/browser" >&2
fi
exit $rc
