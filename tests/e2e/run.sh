#!/usr/bin/env bash
# End-to-end test of issue 4 (and its bench): the whole local stack plus a host page and participant
# pages in headless Chromium, inside a private network namespace (tests/lib/stack_in_netns.sh).
#
#   bash tests/e2e/run.sh            the end-to-end test (conference.test.mjs)
#   bash tests/e2e/run.sh bench      prints the issue-4 numbers (bench.mjs); targets, not pass/fail
#   bash tests/e2e/run.sh FILE...    other test files of this folder
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SUITE=e2e PORT=9543
source "$ROOT/tests/lib/stack_in_netns.sh" "$@"

export CONFHOST_ARTIFACTS="$ROOT/artifacts/e2e" CONFHOST_DOCS="$ROOT/docs"
cd "$ROOT/tests/e2e"
if [ "${1:-}" = bench ]; then
  node bench.mjs
elif [ "$#" -gt 0 ]; then
  node --test --test-concurrency=1 "$@"
else
  node --test --test-concurrency=1 conference.test.mjs
fi
