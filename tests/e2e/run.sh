#!/usr/bin/env bash
# End-to-end test of issue 4 (and its bench): the whole local stack — confhost-server, Janus, mixer
# nodes — plus a host page and participant pages in headless Chromium, all inside a private network
# namespace (SPEC 4.5), so no test traffic leaves it. Janus never gathers ICE candidates on loopback,
# hence the veth pair with Janus on v0 (10.77.0.1); pages are served on localhost.
#
#   bash tests/e2e/run.sh            the end-to-end test (conference.test.mjs)
#   bash tests/e2e/run.sh bench      prints the issue-4 numbers (bench.mjs); targets, not pass/fail
#   bash tests/e2e/run.sh FILE...    other test files of this folder
#
# Environment: CONFHOST_SERVER (server binary), CONFHOST_WEB_ROOT (the built site),
# CONFHOST_KEEP_RUN=1 keeps the run dir (server log, mixer logs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

if [ -z "${CONFHOST_IN_NETNS:-}" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "tests/e2e/run.sh: needs root (unshare -n creates the private network namespace)" >&2
    exit 1
  fi
  exec env CONFHOST_IN_NETNS=1 unshare -n bash "${BASH_SOURCE[0]}" "$@"
fi

ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 10.77.0.1/24 dev v0
ip link set v0 up
ip link set v1 up

SERVER="${CONFHOST_SERVER:-$ROOT/build/native/src/server/confhost-server}"
WEB_ROOT="${CONFHOST_WEB_ROOT:-$ROOT/build/web/site}"
for need in "$SERVER" "$WEB_ROOT/index.html" "$WEB_ROOT/confhost.wasm"; do
  if [ ! -e "$need" ]; then
    echo "tests/e2e/run.sh: $need is missing (run 'make native web', or set CONFHOST_SERVER / CONFHOST_WEB_ROOT)" >&2
    exit 1
  fi
done
PORT=9543
RUN_DIR="$(mktemp -d /tmp/confhost-e2e.XXXXXX)"
LOG="$RUN_DIR/server.log"

"$SERVER" --web-root "$WEB_ROOT" --port "$PORT" --media-interface v0 --host-token T --sm-token S \
  --run-dir "$RUN_DIR" >"$LOG" 2>&1 &
SERVER_PID=$!

cleanup() {
  local rc=$?
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  if [ "$rc" != 0 ]; then
    echo "---- server log (last 80 lines) ----" >&2
    tail -n 80 "$LOG" >&2 || true
  fi
  if [ -z "${CONFHOST_KEEP_RUN:-}" ]; then rm -rf "$RUN_DIR"; else echo "run dir kept: $RUN_DIR" >&2; fi
  exit "$rc"
}
trap cleanup EXIT

export CONFHOST_PORT="$PORT" CONFHOST_HOST_TOKEN=T CONFHOST_SM_TOKEN=S CONFHOST_SERVER_LOG="$LOG" \
  CONFHOST_RUN_DIR="$RUN_DIR" CONFHOST_WEB_ROOT="$WEB_ROOT" CONFHOST_ARTIFACTS="$ROOT/artifacts/e2e" CONFHOST_DOCS="$ROOT/docs"
cd "$ROOT/tests/e2e"
if [ "${1:-}" = bench ]; then
  node bench.mjs
elif [ "$#" -gt 0 ]; then
  node --test --test-concurrency=1 "$@"
else
  node --test --test-concurrency=1 conference.test.mjs
fi
