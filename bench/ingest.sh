#!/usr/bin/env bash
# Ingest with 100 SSE subscribers, paced publish-to-receive latency, a 100,000-line replay.
exec "$(dirname "$0")/run.sh" dev.tailboard.bench.IngestBenchmark "$@"
