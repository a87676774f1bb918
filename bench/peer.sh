#!/usr/bin/env bash
# Starts the bare-Jetty peer (BareJettyPeer: a JSR 356 endpoint and an async servlet on the same
# Jetty, no framework, no store) on a free port and runs one benchmark class against it.
# Usage: bench/peer.sh dev.tailboard.bench.SomeBenchmark [-Dbench.x=y ...]
set -euo pipefail
cd "$(dirname "$0")/.."
main=$1
shift
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p target
./mvnw -q -B -Pbench test-compile -Dspotless.check.skip=true
MAVEN_OPTS="-Xmx1g" ./mvnw -q -B -Pbench exec:java -Dspotless.check.skip=true -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.tailboard.bench.BareJettyPeer -Dexec.args="$port" >target/bench-peer.log 2>&1 &
peer=$!
trap 'kill $peer 2>/dev/null; wait $peer 2>/dev/null || true' EXIT
MAVEN_OPTS="-Xmx2g" ./mvnw -q -B -Pbench exec:java -Dspotless.check.skip=true -Dexec.classpathScope=test \
  -Dexec.mainClass="$main" -Dtailboard.it.baseUrl="http://127.0.0.1:$port" "$@"
