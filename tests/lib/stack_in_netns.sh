# Sourced by the run.sh of every suite that carries media (tests/media, tests/e2e): re-runs the caller
# inside a private network namespace (tests/lib/in_netns.sh) and starts the whole local stack there, with
# Janus's ICE on v0 (10.77.0.1); pages are still served on localhost.
#
# The caller sets SUITE (its name for messages), PORT, and optionally SERVER_ARGS (extra server flags),
# then sources this file with its own arguments: `source "$ROOT/tests/lib/stack_in_netns.sh" "$@"`.
# Afterwards the server is up (or starting) and CONFHOST_PORT, CONFHOST_HOST_TOKEN, CONFHOST_SM_TOKEN,
# CONFHOST_SERVER_LOG, CONFHOST_RUN_DIR and CONFHOST_WEB_ROOT are exported for the node tests.
#
# Environment: CONFHOST_SERVER (server binary), CONFHOST_WEB_ROOT (the built site),
# CONFHOST_KEEP_RUN=1 keeps the run dir (server log, Janus config, mixer logs).

if [ -z "${CONFHOST_IN_NETNS:-}" ]; then
  exec bash "$ROOT/tests/lib/in_netns.sh" bash "$0" "$@"
fi

SERVER="${CONFHOST_SERVER:-$ROOT/build/native/src/server/confhost-server}"
WEB_ROOT="${CONFHOST_WEB_ROOT:-$ROOT/build/web/site}"
# The module's name carries its content hash (confhost.<hash>.wasm, named by index.html).
module=$(ls "$WEB_ROOT"/confhost.*.wasm 2>/dev/null | head -1)
for need in "$SERVER" "$WEB_ROOT/index.html" "${module:-$WEB_ROOT/confhost.<hash>.wasm}"; do
  if [ ! -e "$need" ]; then
    echo "$SUITE: $need is missing (run 'make native web', or set CONFHOST_SERVER / CONFHOST_WEB_ROOT)" >&2
    exit 1
  fi
done
RUN_DIR="$(mktemp -d "/tmp/confhost-$SUITE.XXXXXX")"
LOG="$RUN_DIR/server.log"

# shellcheck disable=SC2086  # SERVER_ARGS is a list of flags
"$SERVER" --web-root "$WEB_ROOT" --port "$PORT" --media-interface v0 --host-token T --sm-token S \
  --run-dir "$RUN_DIR" ${SERVER_ARGS:-} >"$LOG" 2>&1 &
SERVER_PID=$!

stop_stack() {
  local rc=$?
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  if [ "$rc" != 0 ]; then
    # What happened before the shutdown is what explains a failure; the shutdown itself is noise.
    echo "---- server log before the shutdown (last 120 lines) ----" >&2
    sed '/received SIGTERM/,$d' "$LOG" | tail -n 120 >&2 || true
    echo "---- server log, shutdown (last 15 lines) ----" >&2
    tail -n 15 "$LOG" >&2 || true
  fi
  if [ -z "${CONFHOST_KEEP_RUN:-}" ]; then rm -rf "$RUN_DIR"; else echo "run dir kept: $RUN_DIR" >&2; fi
  exit "$rc"
}
trap stop_stack EXIT

export CONFHOST_SERVER_PID="$SERVER_PID" CONFHOST_PORT="$PORT" CONFHOST_HOST_TOKEN=T CONFHOST_SM_TOKEN=S CONFHOST_SERVER_LOG="$LOG" \
  CONFHOST_RUN_DIR="$RUN_DIR" CONFHOST_WEB_ROOT="$WEB_ROOT"
