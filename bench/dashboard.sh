#!/usr/bin/env bash
# The dashboard of 20,000 builds (DashboardPagingBenchmark): "Older" clicked in headless Chromium
# until the oldest build's row is there; time to the first page, per click, in all.
# Usage: bench/dashboard.sh [-Dbench.builds=20000]
exec "$(dirname "$0")/run.sh" dev.tailboard.bench.DashboardPagingBenchmark "$@"
