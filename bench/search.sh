#!/usr/bin/env bash
# Log search at its worst (SearchBenchmark): one build of SEARCH_LINES realistic CI lines (default
# 5,000,000, appended in JSON chunks of SEARCH_CHUNK = log.maxChunkLines lines by 3 clients at
# once), then a query matching nothing and one matching only the last line, each walked following
# `next` to the end (time and lines per request, requests per walk), 8 such walks at once (wall
# time, 429s) and the server's heap after GC. Under 10 minutes here at full size.
# Usage: bench/search.sh [-Dbench.concurrentSearches=8 ...]; SEARCH_LINES=500000 for a short run.
# The server must accept the whole log: its log.maxLinesPerBuild is raised to at least
# SEARCH_LINES (BENCH_SERVER_OPTS is passed on, so a budget setting can be added there).
set -euo pipefail
lines=${SEARCH_LINES:-5000000}
max=$((lines > 5000000 ? lines : 5000000))
export BENCH_SERVER_OPTS="-Dtailboard.log.maxLinesPerBuild=$max ${BENCH_SERVER_OPTS:-}"
exec "$(dirname "$0")/run.sh" dev.tailboard.bench.SearchBenchmark \
  -Dbench.searchLines="$lines" -Dbench.chunkLines="${SEARCH_CHUNK:-10000}" "$@"
