#!/usr/bin/env bash
# Interop tests (issue 8): third-party WHIP/WHEP browser clients from npm, exactly as published
# (tests/interop/package-lock.json), publish and play through the real stack inside a private network
# namespace (tests/lib/stack_in_netns.sh). Their pages come from this suite's own web server on another
# origin, like a third-party player's site.
#
#   bash tests/interop/run.sh [test files...]     (needs root for unshare -n; re-execs itself inside)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ ! -d "$ROOT/tests/interop/node_modules/red5pro-webrtc-sdk" ]; then
  echo "interop: the npm clients are missing: run 'bash scripts/setup.sh' (npm ci in tests/interop)" >&2
  exit 1
fi
PAGES_PORT=9644
SUITE=interop PORT=9643
source "$ROOT/tests/lib/stack_in_netns.sh" "$@"
export CONFHOST_PAGES_PORT="$PAGES_PORT"

cd "$ROOT/tests/interop"
if [ "$#" -gt 0 ]; then
  TESTS=("$@")
else
  TESTS=(whip_whep_client.test.mjs eyevinn.test.mjs red5_sdk.test.mjs composite.test.mjs)
fi
# One node process per file, in this order.
status=0
for t in "${TESTS[@]}"; do
  node --test "$t" || status=1
done
exit "$status"
