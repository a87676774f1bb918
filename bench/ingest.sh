#!/usr/bin/env bash
# Starts Tailboard (jetty:run on a free port, fresh data directory) and runs IngestBenchmark
# against it: ingest with 100 SSE subscribers, paced latency, and a 100,000-line replay.
# Usage: bench/ingest.sh [-Dbench.subscribers=100 -Dbench.rate=5000 ...]
set -euo pipefail
cd "$(dirname "$0")/.."
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
secret=bench-secret-0123456789abcdef0123456789
log=target/bench-server.log
mkdir -p target
mvn -q -B test-compile -Dspotless.check.skip=true
mvn -q -B jetty:run -Dspotless.check.skip=true -Djetty.http.port="$port" -Djetty.http.host=127.0.0.1 \
  -Dtailboard.dataDir="$data" -Dtailboard.secret="$secret" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
mvn -q -B exec:java -Dspotless.check.skip=true -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.tailboard.bench.IngestBenchmark \
  -Dtailboard.it.baseUrl="http://127.0.0.1:$port" -Dtailboard.it.secret="$secret" "$@"
