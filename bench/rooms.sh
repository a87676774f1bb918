#!/usr/bin/env bash
# 200 rooms x 10 members, one chat per member per second: send-to-receive latency; heap per
# idle WebSocket connection.
exec "$(dirname "$0")/run.sh" dev.tailboard.bench.RoomBenchmark "$@"
