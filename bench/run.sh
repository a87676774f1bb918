#!/usr/bin/env bash
# Starts Tailboard (jetty:run on a free port of 127.0.0.1, a fresh data directory, a JVM with the
# heap given by BENCH_SERVER_HEAP, default 1g) and runs one benchmark class against it.
# Usage: bench/run.sh dev.tailboard.bench.SomeBenchmark [-Dbench.x=y ...]
set -euo pipefail
cd "$(dirname "$0")/.."
main=$1
shift
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
secret=bench-secret-0123456789abcdef0123456789
log=target/bench-server.log
mkdir -p target
./mvnw -q -B -Pbench test-compile -Dspotless.check.skip=true
# every load client comes from 127.0.0.1: the room benchmark's sockets and rooms alone pass the
# per-address defaults (1,000 connections, 20 rooms)
MAVEN_OPTS="-Xmx${BENCH_SERVER_HEAP:-1g}" ./mvnw -q -B -Pbench jetty:run -Dspotless.check.skip=true \
  -Djetty.http.port="$port" -Djetty.http.host=127.0.0.1 \
  -Dtailboard.dataDir="$data" -Dtailboard.secret="$secret" \
  -Dtailboard.limits.connectionsPerClient=100000 -Dtailboard.rooms.maxPerClient=100000 \
  ${BENCH_SERVER_OPTS:-} \
  >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
MAVEN_OPTS="-Xmx2g" ./mvnw -q -B -Pbench exec:java -Dspotless.check.skip=true -Dexec.classpathScope=test \
  -Dexec.mainClass="$main" -Dbench.serverPid="$server" \
  -Dtailboard.it.baseUrl="http://127.0.0.1:$port" -Dtailboard.it.secret="$secret" "$@"
