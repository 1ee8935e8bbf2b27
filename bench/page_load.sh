#!/usr/bin/env bash
# How fast the console opens (bench/page_load.bench.mjs): first app frame and bytes on the wire at
# 10 Mbit/s / 40 ms and on localhost, first and second visit, and each asset's plain/gz/br size.
# Needs the native server and the web build (make native web). Prints numbers; not a test.
#   CONFHOST_BENCH_RUNS=5 bash bench/page_load.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_NO_WARNINGS=1 node "$ROOT/bench/page_load.bench.mjs"
