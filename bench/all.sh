#!/usr/bin/env bash
# Every scenario of docs/benchmarks.md against Tailboard and its two peers, in one run (issue 6):
#   fanout  500 SSE subscribers, 5,000 lines/s in chunks of 50: p50/p99/max, CPU per line
#   rooms   200 rooms x 10 WebSocket members, one chat per member per second: p50/p99/max
#   idle    8,000 idle SSE streams + 8,000 idle WebSocket members: held?, heap after GC, RSS
#   replay  a subscriber resuming with Last-Event-ID over 100,000 stored lines
#   stalled a healthy subscriber's p50/p99 alone, then beside 200 + 50 streams of a finished
#           100,000-line build that never read; server threads and heap after GC, lines lost
#   cluster three Tailboard nodes on one PostgreSQL behind nginx (bench/cluster.sh, run once,
#           after the others, with its own servers): same-node vs cross-node latency, fan-out
#           capacity of one node vs three, resume after kill -9 of a node
# Builds what it needs (./mvnw -Pbench test-compile: the benchmarks are in src/bench/java, compiled
# only under the profile bench; npm ci), starts the three servers on free ports of
# 127.0.0.1 — Tailboard (./mvnw jetty:run, fresh H2 data directory), the bare-Jetty peer
# (BareJettyPeer) and the Node peer (bench/node-peer, npm ws) — then runs each scenario against
# each server in turn (a fresh load JVM each time, servers interleaved per scenario), and writes
# target/bench/results.{json,csv,md,svg}. With BENCH_WRITE_DOCS=1 it also copies the chart to
# docs/benchmarks.svg, the figures to docs/benchmark-results.json and the table into
# docs/benchmarks.md. Sizes and durations can be changed with the variables below.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

FANOUT_SUBS=${FANOUT_SUBS:-500} FANOUT_RATE=${FANOUT_RATE:-5000} FANOUT_SECONDS=${FANOUT_SECONDS:-10}
ROOMS=${ROOMS:-200} ROOM_MEMBERS=${ROOM_MEMBERS:-10} ROOM_SECONDS=${ROOM_SECONDS:-15}
IDLE_SSE=${IDLE_SSE:-8000} IDLE_WS=${IDLE_WS:-8000} IDLE_HOLD=${IDLE_HOLD:-20}
REPLAY_LINES=${REPLAY_LINES:-100000}
STALLED=${STALLED:-200} STALLED_SHARED=${STALLED_SHARED:-50} STALLED_LINES=${STALLED_LINES:-100000}
# Each phase of the stalled scenario publishes for this long and waits as long again at most:
# with the server's threads and heap read first, the phase with stalled readers must end inside
# Tailboard's sse.writeTimeoutSeconds (10 s), after which it cuts them.
STALLED_SECONDS=${STALLED_SECONDS:-5}
SERVERS=${BENCH_SERVERS:-"tailboard jetty node"}
SCENARIOS=${BENCH_SCENARIOS:-"fanout rooms idle replay stalled cluster"}

# 16,000 idle sockets at the server and as many in the load JVM: each process needs more files
# than the usual soft limit of 1,024; this machine's hard limit is 20,000.
ulimit -n "$(ulimit -Hn)"
echo "open files per process: $(ulimit -n)"

out=target/bench
rm -rf "$out"
mkdir -p "$out"
results=$out/results.jsonl
: >"$results"

echo "== build"
./mvnw -q -B -Pbench test-compile -Dspotless.check.skip=true
./mvnw -q -B -Pbench dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt"
(cd bench/node-peer && npm ci --no-audit --no-fund --loglevel=error)
cp="target/test-classes:target/classes:$(cat "$out/classpath.txt")"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
secret=bench-secret-0123456789abcdef0123456789
data=$(mktemp -d)
declare -A port pid
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$data"
}
trap cleanup EXIT
trap "exit 143" INT TERM

echo "== start servers"
for s in $SERVERS; do
  port[$s]=$(free_port)
  case $s in
    tailboard)
      # Every load client comes from 127.0.0.1: the idle scenario holds 16,000 connections, far
      # past the default of 1,000 per client address.
      MAVEN_OPTS="-Xmx${BENCH_SERVER_HEAP:-1g} ${BENCH_SERVER_JVM:-}" ./mvnw -q -B -Pbench jetty:run \
        -Dspotless.check.skip=true -Djetty.http.port="${port[$s]}" -Djetty.http.host=127.0.0.1 \
        -Dtailboard.dataDir="$data" -Dtailboard.secret="$secret" \
        -Dtailboard.limits.connectionsPerClient=100000 -Dtailboard.rooms.maxPerClient=100000 \
        ${BENCH_SERVER_OPTS:-} \
        >"$out/server-tailboard.log" 2>&1 &
      ;;
    jetty)
      java -Xmx${BENCH_SERVER_HEAP:-1g} -cp "$cp" dev.tailboard.bench.BareJettyPeer "${port[$s]}" \
        >"$out/server-jetty.log" 2>&1 &
      ;;
    node)
      node --expose-gc bench/node-peer/server.js "${port[$s]}" >"$out/server-node.log" 2>&1 &
      ;;
  esac
  pid[$s]=$!
  pids+=("${pid[$s]}")
done

# A fresh load JVM per scenario and server, with what it needs to read the server.
load() {
  local s=$1 main=$2
  shift 2
  local extra=()
  if [ "$s" = node ]; then extra+=("-Dbench.heapUrl=http://127.0.0.1:${port[$s]}/bench/heap"); fi
  java -Xmx2g -cp "$cp" -Dbench.server="$s" -Dbench.serverPid="${pid[$s]}" \
    -Dtailboard.it.baseUrl="http://127.0.0.1:${port[$s]}" -Dtailboard.it.secret="$secret" \
    "${extra[@]}" ${BENCH_LOAD_OPTS:-} "$@" "dev.tailboard.bench.$main"
}

echo "== warm-up (not recorded)"
for s in $SERVERS; do
  load "$s" IngestBenchmark -Dbench.subscribers=50 -Dbench.seconds=3 -Dbench.burstLines=0 \
    -Dbench.replayLines=0 >>"$out/warmup.log" 2>&1
  load "$s" RoomBenchmark -Dbench.rooms=20 -Dbench.members=10 -Dbench.seconds=3 \
    >>"$out/warmup.log" 2>&1
done

for scenario in $SCENARIOS; do
  if [ "$scenario" = cluster ]; then
    continue # after the others: it starts servers of its own
  fi
  for s in $SERVERS; do
    echo "== $scenario: $s"
    t=$SECONDS
    case $scenario in
      fanout)
        load "$s" IngestBenchmark -Dbench.results="$results" -Dbench.subscribers="$FANOUT_SUBS" \
          -Dbench.rate="$FANOUT_RATE" -Dbench.chunk=50 -Dbench.seconds="$FANOUT_SECONDS" \
          -Dbench.burstLines=0 -Dbench.replayLines=0 ;;
      rooms)
        load "$s" RoomBenchmark -Dbench.results="$results" -Dbench.rooms="$ROOMS" \
          -Dbench.members="$ROOM_MEMBERS" -Dbench.seconds="$ROOM_SECONDS" ;;
      idle)
        load "$s" IdleBenchmark -Dbench.results="$results" -Dbench.idleSse="$IDLE_SSE" \
          -Dbench.idleWs="$IDLE_WS" -Dbench.holdSeconds="$IDLE_HOLD" ;;
      replay)
        load "$s" IngestBenchmark -Dbench.results="$results" -Dbench.seconds=0 \
          -Dbench.burstLines=0 -Dbench.replayLines="$REPLAY_LINES" ;;
      stalled)
        load "$s" StalledBenchmark -Dbench.results="$results" -Dbench.stalled="$STALLED" \
          -Dbench.stalledShared="$STALLED_SHARED" -Dbench.stalledLines="$STALLED_LINES" \
          -Dbench.seconds="$STALLED_SECONDS" -Dbench.requestTimeoutSeconds=10 ;;
    esac 2>&1 | grep -v '^\s*$' | tee -a "$out/load.log" | grep '^|' || true
    echo "   ($((SECONDS - t)) s)"
  done
done

if [[ " $SCENARIOS " == *" cluster "* ]]; then
  echo "== cluster (three nodes, PostgreSQL, nginx; the peers have no cluster to compare)"
  cleanup # the single-node servers stop first: the cluster needs the cores
  pids=()
  t=$SECONDS
  bench/cluster.sh 2>&1 | tee -a "$out/load.log" | grep '^|' || true
  echo "   ($((SECONDS - t)) s)"
fi

echo "== report"
java -cp "$cp" dev.tailboard.bench.BenchReport "$results" "$out" >/dev/null
if [ "${BENCH_WRITE_DOCS:-0}" = 1 ]; then
  cp "$out/results.svg" docs/benchmarks.svg
  cp "$out/results.json" docs/benchmark-results.json
  java -cp "$cp" dev.tailboard.bench.BenchReport "$results" "$out" docs/benchmarks.md >/dev/null
fi
cat "$out/results.md"
echo "wall time: $(($(date +%s) - started)) s"
