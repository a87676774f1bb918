#!/usr/bin/env bash
# The masker alone (MaskerBench, no server): Masker.mask lines/s on one thread over generated CI
# lines of 80-200 characters with each count of registered values given (default 0 10 100, one
# JVM each for steadier figures), and the bytes it allocates per line without a secret.
# Usage: bench/masker.sh [COUNT ...]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -Pbench test-compile -Dspotless.check.skip=true
for n in "${@:-0 10 100}"; do
  for v in $n; do
    ./mvnw -q -B -Pbench exec:java -Dspotless.check.skip=true -Dexec.classpathScope=test \
      -Dexec.mainClass=dev.tailboard.masks.MaskerBench -Dexec.args="$v"
  done
done
