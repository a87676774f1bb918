#!/usr/bin/env bash
# One hostile anonymous client at its worst (HostileClientBenchmark): from 127.0.0.1, as many SSE
# streams and long-polls as limits.connectionsPerClient allows (default 1,000: 900 + 100; one more
# must get 429) plus 1,000 WebSocket watchers in the builds' rooms, none ever reading, while an
# authenticated publisher appends log chunks and chats; the server's heap after GC at baseline,
# with the connections open, at its peak and after the client left, beside the settings' bound.
# The server runs with its default limits. About 2 minutes here; traffic only to 127.0.0.1.
# Usage: bench/hostile.sh [-Dbench.streams=900 -Dbench.polls=100 -Dbench.watchers=1000 ...]
set -euo pipefail
# 2,000 sockets and more at the server and in the load JVM: past the usual soft limit of 1,024
ulimit -n "$(ulimit -Hn)"
exec "$(dirname "$0")/run.sh" dev.tailboard.bench.HostileClientBenchmark "$@"
