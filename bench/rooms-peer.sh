#!/usr/bin/env bash
# The room benchmark against the bare JSR 356 peer on the same Jetty (the container's ceiling).
exec "$(dirname "$0")/peer.sh" dev.tailboard.bench.RoomBenchmark "$@"
