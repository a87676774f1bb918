#!/usr/bin/env bash
# The ingest benchmark's burst and paced scenarios against the bare async-servlet SSE peer on
# the same Jetty (the container's ceiling; it stores nothing, so there is no replay scenario).
set -euo pipefail
cd "$(dirname "$0")/.."
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p target
mvn -q -B test-compile -Dspotless.check.skip=true
MAVEN_OPTS="-Xmx1g" mvn -q -B exec:java -Dspotless.check.skip=true -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.tailboard.bench.BareJettyPeer -Dexec.args="$port" >target/bench-peer.log 2>&1 &
peer=$!
trap 'kill $peer 2>/dev/null; wait $peer 2>/dev/null' EXIT
MAVEN_OPTS="-Xmx2g" mvn -q -B exec:java -Dspotless.check.skip=true -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.tailboard.bench.IngestBenchmark -Dbench.replayLines=0 \
  -Dtailboard.it.baseUrl="http://127.0.0.1:$port" "$@"
