#!/usr/bin/env bash
# Runs the README's tour as a new user would, so it cannot rot: every ```bash block of README.md,
# in order, in one bash session with `set -euo pipefail`, against a fresh local stack
# with the researcher sandbox (deploy/run-local.sh --sandbox --simulate N) on free ports with its own
# data folder. Fails naming the block
# and showing its output. Needs what the tour announces: jq, curl, mosquitto-clients, OpenSSL 3;
# nothing else (the researcher steps use deploy/researcher.sh).
#   deploy/tour-check.sh [--simulate 40] [--keep]      # --keep leaves the data folder for a look
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

# 40: the sandbox's default, enough owners for a lease approved on a noisy cohort count.
simulate=40
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --simulate) simulate=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: deploy/tour-check.sh [--simulate N] [--keep]" >&2; exit 2 ;;
  esac
done

for tool in jq curl mosquitto_rr openssl java mvn; do
  command -v "$tool" >/dev/null || { echo "tour-check: $tool is missing (the README tour needs it)" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/vitalvault-tour.XXXXXX")
stack_pid=
cleanup() {
  if [ -n "$stack_pid" ] && kill -0 "$stack_pid" 2>/dev/null; then
    # TERM, not INT: a background job of a non-interactive shell ignores SIGINT. The JVM runs the
    # same shutdown hooks (PostgreSQL, broker, services stopped cleanly) on either.
    kill -TERM "$stack_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$stack_pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$stack_pid" 2>/dev/null || true
  fi
  if [ $keep = 1 ]; then echo "tour-check: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Free ports: ask the kernel for an ephemeral port, one per service.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
http_port=$(free_port); gateway_port=$(free_port); mqtt_port=$(free_port); pg_port=$(free_port)
# Management interfaces (health, metrics, the gateway's /rejections), also free: not 9000/9001 of a running stack.
management_port=$(free_port); gateway_management_port=$(free_port)

# 1. The blocks, in order: block N is the N-th ```bash fence of README.md.
awk -v dir="$work" '
  /^```bash[[:space:]]*$/ { n++; file = sprintf("%s/block-%02d.sh", dir, n); inside = 1; next }
  /^```/ && inside { inside = 0; close(file); next }
  inside { print > file }
' README.md
blocks=$(ls "$work"/block-*.sh 2>/dev/null | wc -l)
[ "$blocks" -gt 0 ] || { echo "tour-check: no \`\`\`bash block in README.md" >&2; exit 1; }

# 2. The stack, in the background, until it says READY.
echo "tour-check: starting the local stack (--sandbox --simulate $simulate) on :$http_port, :$gateway_port, mqtt :$mqtt_port"
setsid deploy/run-local.sh --sandbox --simulate "$simulate" --data "$work/data" --http-port "$http_port" \
  --gateway-port "$gateway_port" --mqtt-port "$mqtt_port" --pg-port "$pg_port" \
  --management-port "$management_port" --gateway-management-port "$gateway_management_port" > "$work/stack.log" 2>&1 &
stack_pid=$!
for _ in $(seq 1 900); do
  grep -q '^READY' "$work/stack.log" && break
  kill -0 "$stack_pid" 2>/dev/null || { echo "tour-check: the stack exited before READY:" >&2; tail -40 "$work/stack.log" >&2; exit 1; }
  sleep 1
done
grep -q '^READY' "$work/stack.log" || { echo "tour-check: no READY line in 15 min:" >&2; tail -40 "$work/stack.log" >&2; exit 1; }
# Let the simulator publish a little, so "the last 10 minutes" holds readings.
sleep 15

# 3. One bash session runs the blocks in order; each block's output goes to its own log, and the
#    ERR trap names the block that failed. The tour's own variables point it at this stack.
{
  echo 'set -Eeuo pipefail'
  echo "export V=http://localhost:$http_port G=http://localhost:$gateway_port MQTT_PORT=$mqtt_port"
  # The management interfaces, for blocks that read health, metrics or the gateway's rejections.
  echo "export VM=http://localhost:$management_port GM=http://localhost:$gateway_management_port"
  # The stack's data folder (the sandbox's demo organisation is in its sandbox/), as run-local.sh reads it.
  echo "export VITALVAULT_DATA='$work/data'"
  # The tour's own scratch folder (T=$(mktemp -d), holding an organisation's private key) goes
  # inside the work folder, so it is deleted with it.
  echo "export TMPDIR='$work'"
  echo "cd '$repo'"
  echo 'tour_block=0'
  echo 'trap '"'"'echo "tour-check: block $tour_block failed (exit $?) at: $BASH_COMMAND" >&3'"'"' ERR'
  for f in "$work"/block-*.sh; do
    n=$(basename "$f" .sh); n=$((10#${n#block-}))
    echo "tour_block=$n; exec > '$work/out-$n.log' 2>&1"
    cat "$f"
    echo
  done
  echo 'echo "tour-check: all blocks ran" >&3'
} > "$work/tour.sh"

if (cd "$work" && bash "$work/tour.sh" 3>&1); then
  echo "tour-check: $blocks blocks of README.md ran against the local stack"
else
  failed=$(ls "$work"/out-*.log | sed 's/.*out-\([0-9]*\)\.log/\1/' | sort -n | tail -1)
  echo "---- block $failed ----" >&2
  cat "$work/block-$(printf %02d "$failed").sh" >&2
  echo "---- its output ----" >&2
  tail -40 "$work/out-$failed.log" >&2
  exit 1
fi
