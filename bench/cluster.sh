#!/usr/bin/env bash
# The cluster scenario (issue: three nodes on one PostgreSQL behind nginx): same-node against
# cross-node publish-to-receive latency, fan-out capacity of one node against three, and the
# resume of every client of a node killed with kill -9. Starts its own PostgreSQL (Debian's
# postgresql), three nodes (target/tailboard.war, each its own JVM) and nginx
# (deploy/nginx/tailboard.conf), all on 127.0.0.1; prints a table and appends it to
# target/bench/cluster.md. Sizes: CLUSTER_LATENCY_SUBS, CLUSTER_RATE, CLUSTER_SECONDS,
# CLUSTER_CAPACITY_SUBS, CLUSTER_BURST_LINES, CLUSTER_KILL_CLIENTS.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/bench
./mvnw -q -B -Pbench package -DskipTests -Dspotless.check.skip=true
./mvnw -q -B -Pbench dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench/classpath.txt
ulimit -n "$(ulimit -Hn)"
java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
  -Dbench.clusterLatencySubs="${CLUSTER_LATENCY_SUBS:-60}" -Dbench.rate="${CLUSTER_RATE:-1000}" \
  -Dbench.seconds="${CLUSTER_SECONDS:-10}" \
  -Dbench.clusterCapacitySubs="${CLUSTER_CAPACITY_SUBS:-300}" \
  -Dbench.clusterBurstLines="${CLUSTER_BURST_LINES:-20000}" \
  -Dbench.clusterKillClients="${CLUSTER_KILL_CLIENTS:-300}" \
  dev.tailboard.bench.ClusterBenchmark | tee target/bench/cluster.log | grep '^|' | tee -a target/bench/cluster.md
