#!/usr/bin/env bash
# Media tests (issue 3): the real stack — confhost-server, Janus, headless Chromium — inside a private
# network namespace (tests/lib/stack_in_netns.sh).
#
#   bash tests/media/run.sh [test files...]     (needs root for unshare -n; re-execs itself inside)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SUITE=media PORT=9443 SERVER_ARGS="--peer-connect-timeout 8"
source "$ROOT/tests/lib/stack_in_netns.sh" "$@"

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
