#!/usr/bin/env bash
# Opens a failed 1,000,000-line build whose error is at line 600,000 in headless Chromium, 5 times:
# time until the first error line is in the viewport (FailedBuildPageBenchmark).
# Usage: bench/failed-page.sh [-Dbench.lines=1000000 -Dbench.errorAt=600000 -Dbench.opens=5]
exec "$(dirname "$0")/run.sh" dev.tailboard.bench.FailedBuildPageBenchmark "$@"
