#!/usr/bin/env bash
# Conference API fan-out benchmark (issue 3): starts confhost-server (API only), runs the native load
# generator against it and prints the numbers. Not a pass/fail test.
#   BUILD_DIR=build/native bash bench/run.sh [generator flags, e.g. --rooms 10 --sockets 20 --ops 200]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build/native}"
SERVER="$BUILD_DIR/src/server/confhost-server"
GEN="$BUILD_DIR/bench/conference_fanout"
if [[ ! -x "$SERVER" || ! -x "$GEN" ]]; then
  echo "building confhost-server and conference_fanout in $BUILD_DIR"
  cmake -S . -B "$BUILD_DIR" -G Ninja >/dev/null
  cmake --build "$BUILD_DIR" --target confhost-server conference_fanout
fi

WORK="$(mktemp -d /tmp/confhost-bench-XXXXXX)"
mkdir -p "$WORK/site"
OUT="$WORK/server.out"
TOKEN="bench-host-token"
SECRET="bench-webhook-secret"
# The load generator is one client address holding thousands of sockets: lift the per-client quotas.
"$SERVER" --port 0 --no-janus --no-mixers --host-token "$TOKEN" --webhook-secret "$SECRET" --run-dir "$WORK/run" \
  --web-root "$WORK/site" --max-connections 200000 --max-connections-per-ip 200000 --max-sockets-per-room 200000 \
  --max-streams 200000 --max-streams-per-scope 200000 --log-level warn >"$OUT" 2>"$WORK/server.err" &
SERVER_PID=$!
cleanup() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Wait for the server's announcement (it prints once it is listening).
PORT=""
for _ in $(seq 1 200); do
  PORT="$(sed -n 's|^Testbed menu: https://localhost:\([0-9]*\)/.*|\1|p' "$OUT" | head -1)"
  [[ -n "$PORT" ]] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$WORK/server.err"; exit 1; fi
  read -r -t 0.05 <> <(:) || true
done
[[ -n "$PORT" ]] || { echo "server did not start"; cat "$WORK/server.err"; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
"$GEN" --port "$PORT" --host-token "$TOKEN" --webhook-secret "$SECRET" --server-pid "$SERVER_PID" "$@" || true
echo "targets: p99 <= 15 ms, >= 5000 ops/s"
