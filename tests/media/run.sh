#!/usr/bin/env bash
# Media tests (issue 3): the real stack — confhost-server, Janus, headless Chromium — inside a private
# network namespace, so no test traffic leaves it. Janus never gathers ICE candidates on loopback, so
# the namespace gets a veth pair and Janus uses v0 (10.77.0.1). Pages are still served on localhost.
#
#   bash tests/media/run.sh [test files...]     (needs root for unshare -n; re-execs itself inside)
#
# Environment: CONFHOST_SERVER (server binary), CONFHOST_WEB_ROOT, CONFHOST_KEEP_RUN=1 keeps the run dir.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

if [ -z "${CONFHOST_IN_NETNS:-}" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "tests/media/run.sh: needs root (unshare -n creates the private network namespace)" >&2
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
PORT=9443
RUN_DIR="$(mktemp -d /tmp/confhost-media.XXXXXX)"
LOG="$RUN_DIR/server.log"

"$SERVER" --web-root "$WEB_ROOT" --port "$PORT" --media-interface v0 --host-token T --sm-token S \
  --run-dir "$RUN_DIR" --peer-connect-timeout 8 >"$LOG" 2>&1 &
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
  CONFHOST_RUN_DIR="$RUN_DIR"
cd "$ROOT/tests/media"
if [ "$#" -gt 0 ]; then
  TESTS=("$@")
else
  # Order matters: the failure tests kill Janus and a mixer, so they run last.
  TESTS=(whip_whep.test.mjs conference_audio.test.mjs composition.test.mjs publisher_left.test.mjs failure.test.mjs)
fi
# One node process per file, in this order (node --test would sort them).
status=0
for t in "${TESTS[@]}"; do
  node --test "$t" || status=1
done
exit "$status"
