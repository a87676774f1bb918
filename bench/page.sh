#!/usr/bin/env bash
# Opens a finished 1,000,000-line build in headless Chromium: time to the last line, page memory.
exec "$(dirname "$0")/run.sh" dev.tailboard.bench.BuildPageBenchmark "$@"
