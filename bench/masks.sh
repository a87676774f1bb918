#!/usr/bin/env bash
# What secret masking costs ingestion (MaskIngestBenchmark): builds with 0, 10 and 100 registered
# values take the same realistic CI lines (bench.lines, default 100,000, in JSON chunks of
# bench.chunk = 1,000), taking turns for bench.rounds (5) rounds on one server; median lines/s of
# each and the cost against 0 values. About 3 minutes here.
# Usage: bench/masks.sh [-Dbench.rounds=5 -Dbench.lines=100000 ...]
set -euo pipefail
exec "$(dirname "$0")/run.sh" dev.tailboard.bench.MaskIngestBenchmark "$@"
