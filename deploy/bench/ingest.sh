#!/usr/bin/env bash
# The ingest benchmark of issue 3, on this machine: Mosquitto (Debian) + embedded PostgreSQL (fsync on)
# + vault-service + the real sensor-gateway process + a Java load generator, and in the same run the
# naive baseline pipeline on the same broker and database. The last line printed is
#   RESULT ingest readings_per_s=… p50_ms=… p99_ms=… gateway_heap_mb=… baseline_readings_per_s=… ratio=…
# (with --flood also flood_p99_ms=… flood_refused=… flood_published=…: the normal devices' p99 beside the flood,
# and the flooding device's messages refused by the broker or the gateway, of those it published)
#
#   deploy/bench/ingest.sh                              # --duration 60 --pack 10, latency at 10,000 readings/s
#   deploy/bench/ingest.sh --duration 60 --pack 1
#   deploy/bench/ingest.sh --jfr /tmp/gw.jfr            # also profile the gateway's measured window
#   deploy/bench/ingest.sh --flood                      # latency phase again beside one device at 50x its quota:
#                                                       # RESULT … flood_p99_ms=… flood_refused=… flood_published=…
#   deploy/bench/ingest.sh --tls                        # devices, gateway and receipts over Mosquitto's TLS listener
#                                                       # (a CA made for the run); the naive baseline stays plaintext
#   deploy/bench/ingest.sh --help                       # every option (owners, publishers, --gw key=value …)
# Options of this script itself: --rebuild (rebuild the jars first), --keep (keep the work folder: logs, data),
# --tls (as above: docs/decisions/034).
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/bench/lib.sh

rebuild=0
keep=0
tls=0
args=()
for a in "$@"; do
  case "$a" in
    --rebuild) rebuild=1 ;;
    --tls) tls=1 ;;
    --keep) keep=1 ;;
    -h|--help)
      exec java -cp "$BENCH_CP" org.vitalvault.bench.IngestBench --help ;;
    *) args+=("$a") ;;
  esac
done

# 1. Build what is missing.
bench_build_if_missing IngestBench

# 2. Mosquitto from Debian.
if ! command -v mosquitto >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing mosquitto (apt-get)…"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q mosquitto >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q mosquitto >/dev/null; }
  else
    echo "mosquitto is missing: sudo apt-get install -y mosquitto" >&2
    exit 1
  fi
fi
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)

MOSQ_PID=
bench_cleanup_extra() {
  if [ -n "$MOSQ_PID" ] && kill -0 "$MOSQ_PID" 2>/dev/null; then
    kill "$MOSQ_PID" 2>/dev/null || true
    wait "$MOSQ_PID" 2>/dev/null || true
  fi
}
bench_work_folder ingest

free_port() {
  local p
  for p in $(shuf -i 20000-60999 -n 200); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port found" >&2; return 1
}

# 3. Mosquitto on a free loopback port, in the foreground with & (as root, -d with a pid_file fails).
PORT=$(free_port)
cat > "$WORK/mosquitto.conf" <<EOF
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
max_inflight_messages 1000
max_queued_messages 1000000
max_packet_size 81920
set_tcp_nodelay true
log_dest file $WORK/mosquitto.log
log_type error
log_type warning
EOF
if [ "$tls" = 1 ]; then
  # A CA and server certificate (localhost, 127.0.0.1) for this run, made by the local stack's own code.
  java -cp "$BENCH_CP" org.vitalvault.deploy.tls.LocalTls "$WORK/tls" >/dev/null
  TLS_PORT=$(free_port)
  cat >> "$WORK/mosquitto.conf" <<EOF
# --tls: devices, gateway and receipts over TLS (loopback here: the bench is one machine)
listener $TLS_PORT 127.0.0.1
cafile $WORK/tls/ca.pem
certfile $WORK/tls/server.pem
keyfile $WORK/tls/server.key
tls_version tlsv1.2
# the key is this user's (0600): Mosquitto must not drop to the mosquitto user
user $(id -un)
EOF
  args+=(--tls-url "ssl://localhost:$TLS_PORT" --tls-ca "$WORK/tls/ca.pem")
fi
"$MOSQUITTO" -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.out" 2>&1 &
MOSQ_PID=$!
for _ in $(seq 1 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  if ! kill -0 "$MOSQ_PID" 2>/dev/null; then
    echo "mosquitto did not start:" >&2; cat "$WORK/mosquitto.out" "$WORK/mosquitto.log" >&2 2>/dev/null; exit 1
  fi
  sleep 0.1
done
echo "Mosquitto $("$MOSQUITTO" -h 2>/dev/null | head -1 | awk '{print $3}') on tcp://127.0.0.1:$PORT (pid $MOSQ_PID;" \
     "anonymous, loopback only, max_inflight_messages 1000, max_queued_messages 1000000, persistence off)"
if [ "$tls" = 1 ]; then echo "  and over TLS on ssl://localhost:$TLS_PORT (CA $WORK/tls/ca.pem)"; fi

# 4. A snapshot of the service builds to run.
bench_snapshot_services

# 5. The bench (its last line is RESULT …).
set +e
java -Xms512m -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$BENCH_CP" org.vitalvault.bench.IngestBench \
  --repo "$WORK/repo" --data "$WORK/data" --mqtt-url "tcp://127.0.0.1:$PORT" --mosquitto-pid "$MOSQ_PID" \
  ${args[@]+"${args[@]}"}
rc=$?
set -e
if [ $rc != 0 ]; then
  keep=1   # keep the logs of a failed run
  echo "ingest bench failed (exit $rc); logs kept in $WORK/data/logs" >&2
fi
exit $rc
