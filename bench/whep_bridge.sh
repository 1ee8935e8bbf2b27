#!/usr/bin/env bash
# The standard-WHEP bridge's added latency, CPU per bridge process and POST → first frame (issue 8):
# the real stack (confhost-server, Janus, bridge processes, headless Chromium) inside a private network
# namespace (tests/lib/stack_in_netns.sh), then bench/whep_bridge.bench.mjs. Prints numbers; not a test.
#
#   bash bench/whep_bridge.sh          (needs root for unshare -n; re-execs itself inside)
# Environment: CONFHOST_SERVER, CONFHOST_WEB_ROOT (as the media tests), CONFHOST_BENCH_WINDOW_MS
# (each measurement window, default 10000), CONFHOST_BENCH_JOINS (POST → first frame repeats, default 3).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUITE=bench-whep PORT=9743
source "$ROOT/tests/lib/stack_in_netns.sh" "$@"
NODE_NO_WARNINGS=1 node "$ROOT/bench/whep_bridge.bench.mjs"
