#!/usr/bin/env bash
# The ingest benchmark against the bare async-servlet SSE peer (it stores nothing: no replay).
exec "$(dirname "$0")/peer.sh" dev.tailboard.bench.IngestBenchmark -Dbench.replayLines=0 "$@"
