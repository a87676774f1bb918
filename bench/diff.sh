#!/usr/bin/env bash
# What changed since the last green run (DiffBenchmark): two builds of one project of DIFF_LINES
# realistic CI lines (default 100,000), a passed one and a failed one that differs by timestamps,
# durations and one new line in 10,000; then GET /api/builds/{failed}/diff?against=last-passed
# DIFF_RUNS times (default 7): time per request (min, median, max) and a check that exactly the new
# lines came back. Usage: bench/diff.sh [-Dbench.newEvery=1000 ...]
set -euo pipefail
exec "$(dirname "$0")/run.sh" dev.tailboard.bench.DiffBenchmark \
  -Dbench.diffLines="${DIFF_LINES:-100000}" -Dbench.runs="${DIFF_RUNS:-7}" "$@"
