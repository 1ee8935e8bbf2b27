#!/usr/bin/env bash
# Media tests (issue 3): the real stack — confhost-server, Janus, headless Chromium — inside a private
# network namespace (tests/lib/stack_in_netns.sh).
#
#   bash tests/media/run.sh [test files...]     (needs root for unshare -n; re-execs itself inside)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The test mixing page (tests/media/mixer.html) is served by harness.mjs on its own port, which the
# server must be told to allow (it accepts only its own origin by default).
PAGES_PORT=9444
# A STUN server in the proxy's Link headers (conformance.test.mjs checks them; nothing listens there, so
# browsers that use it only lose a server-reflexive candidate inside the namespace).
SUITE=media PORT=9443 SERVER_ARGS="--peer-connect-timeout 8 --mixing-page-origin http://127.0.0.1:$PAGES_PORT \
  --ice-server stun:10.77.0.1:3478"
source "$ROOT/tests/lib/stack_in_netns.sh" "$@"
export CONFHOST_PAGES_PORT="$PAGES_PORT"

cd "$ROOT/tests/media"
if [ "$#" -gt 0 ]; then
  TESTS=("$@")
else
  # Order matters: the failure tests kill Janus and a mixer, so they run last.
  TESTS=(whip_whep.test.mjs whep_bridge.test.mjs conformance.test.mjs conference_audio.test.mjs composition.test.mjs publisher_left.test.mjs
    failure.test.mjs)
fi
# One node process per file, in this order (node --test would sort them).
status=0
for t in "${TESTS[@]}"; do
  node --test "$t" || status=1
done
exit "$status"
