#!/usr/bin/env bash
# The container matrix: deploys the WARs that `./mvnw -B verify` built (target/tailboard.war,
# target/tailboard-ee.war) to each container of containers.sh, fetched from Maven Central, on a
# free port of 127.0.0.1, and runs the smoke suite (dev.tailboard.matrix.ContainerSmoke) against
# it; then restarts the container on the same data directory and runs ContainerRestartSmoke.
#
#   .ci/matrix/run.sh                 every container
#   .ci/matrix/run.sh tomcat11 jetty12  some of them
#   MATRIX_QUIET_SECONDS=300 .ci/matrix/run.sh tomcat11   a longer quiet step in the streamed
#                                       upload the smoke suite checks (default 60)
#
# Each container's files and logs stay under target/matrix/NAME/ (server.log, smoke.log); a
# failing step prints them, and a failed container is tried once more from scratch. Exit status:
# 1 if a container expected to work failed twice; a container known to be broken (containers.sh)
# is reported, not a failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/target/matrix
DISTS=$OUT/dist
START_TIMEOUT=${MATRIX_START_TIMEOUT:-180}
SMOKE_TIMEOUT=${MATRIX_SMOKE_TIMEOUT:-300}
CONSOLE_ARTIFACT=org.junit.platform:junit-platform-console-standalone:1.14.4:jar
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
source "$ROOT/.ci/matrix/containers.sh"

# ---- small tools -------------------------------------------------------------------------
now() { echo "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
say() { echo "[matrix] $*"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Ports below Linux's ephemeral range (32768+), which client sockets take: a port picked there
# can be grabbed by an outgoing connection between the check and the server's bind.
free_port() {
  local p
  while :; do
    p=$((10000 + RANDOM % 22000))
    port_in_use "$p" || { echo "$p"; return; }
  done
}
# WildFly moves every socket by one offset: pick one under which its default ports are all free
wildfly_offset_port() {
  local o p ok
  while :; do
    o=$((2000 + RANDOM % 20000)) ok=1
    for p in 8080 8443 9990 9993 4712 4713 8009; do port_in_use $((p + o)) && ok=0; done
    [ $ok = 1 ] && { echo $((8080 + o)); return; }
  done
}
await_port() {
  local deadline=$((SECONDS + $2))
  until port_in_use "$1"; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.5
  done
}
java_home_for() { # the first JDK of at least this major version: the default one, then /usr/lib/jvm
  local want=$1 j v
  for j in "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")" /usr/lib/jvm/*; do
    [ -x "$j/bin/java" ] || continue
    v=$("$j/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
    [ -n "$v" ] && [ "${v%%.*}" -ge "$want" ] && { echo "$j"; return 0; }
  done
  return 1
}

# ---- fetching (Maven Central through Maven; cached in ~/.m2, copied to target/matrix/dist) --
dist_file() { # g:a:v:type -> its file name
  local IFS=:
  set -- $1
  echo "$2-$3.$4"
}
fetch() {
  [ -f "$DISTS/$(dist_file "$1")" ] && return 0
  "$ROOT/mvnw" -B -q "$DEPENDENCY_PLUGIN:copy" -Dartifact="$1" -DoutputDirectory="$DISTS" \
    >"$OUT/fetch.log" 2>&1 || { cat "$OUT/fetch.log"; return 1; }
}

# ---- one server process: its own process group, stopped by that group's id ----------------
SERVER_PID=
start_server() { # name -> SERVER_PID; the server's output goes to server.log
  # not a group leader, setsid makes this very process the leader of a new group
  setsid bash -c "source '$ROOT/.ci/matrix/containers.sh'; ${1}_run" \
    >>"$DIR/server.log" 2>&1 </dev/null &
  SERVER_PID=$!
  echo "$SERVER_PID" >"$DIR/server.pid"
}
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM -- "-$SERVER_PID" 2>/dev/null
  local deadline=$((SECONDS + 30))
  while kill -0 -- "-$SERVER_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
  kill -KILL -- "-$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# ---- PostgreSQL, for the containers that run on it (NAME_postgres): Debian's server, as the
# postgres user (it refuses root), on a free port of 127.0.0.1, one database per attempt -----
PG_PORT=
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
start_postgres() {
  [ -n "$PG_PORT" ] && return 0
  local bin
  bin=$(pg_bin)
  [ -x "$bin/initdb" ] || { say "no PostgreSQL server: install Debian's postgresql (.ci/run does)"; return 1; }
  mkdir -p "$OUT/pg" && rm -rf "$OUT/pg/data"
  [ "$(id -u)" = 0 ] && chown postgres "$OUT/pg"
  as_pg "$bin/initdb" -A trust -U tailboard -D "$OUT/pg/data" >"$OUT/pg/initdb.log" 2>&1 || { cat "$OUT/pg/initdb.log"; return 1; }
  PG_PORT=$(free_port)
  as_pg "$bin/pg_ctl" -D "$OUT/pg/data" -l "$OUT/pg/server.log" -w start \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $OUT/pg" >/dev/null || { cat "$OUT/pg/server.log"; return 1; }
}
stop_postgres() { [ -n "$PG_PORT" ] && as_pg "$(pg_bin)/pg_ctl" -D "$OUT/pg/data" -m fast stop >/dev/null; }
create_database() { # name -> exports TAILBOARD_DB_URL and TAILBOARD_DB_USER for the container
  "$(pg_bin)/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U tailboard -d postgres -c "CREATE DATABASE $1" || return 1
  export TAILBOARD_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$1" TAILBOARD_DB_USER=tailboard
}

# until /api/health answers 200; fails when the server dies, at the timeout, or when the server
# has answered something else for 120 s (the application did not deploy)
await_healthy() {
  local deadline=$((SECONDS + START_TIMEOUT)) answering="" code
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited" >>"$DIR/server.log"; return 1; }
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$PORT/api/health")
    [ "$code" = 200 ] && return 0
    [ "$code" != 000 ] && [ -z "$answering" ] && answering=$SECONDS
    [ -n "$answering" ] && [ $((SECONDS - answering)) -gt 120 ] && break
    sleep 0.5
  done
  echo "[matrix] no healthy answer within ${START_TIMEOUT}s; /api/health said:" \
    "$(curl -s -m 5 "http://127.0.0.1:$PORT/api/health")" >>"$DIR/server.log"
  return 1
}

smoke() { # test class -> runs it against the container, output in smoke.log
  local quiet=${MATRIX_QUIET_SECONDS:-50}
  # a container whose quiet upload is a known, reported failure says so in containers.sh
  if declare -F "${NAME}_quiet_seconds" >/dev/null; then quiet=$("${NAME}_quiet_seconds"); fi
  # how the container answers a body it cannot read, where it is not problem+json (containers.sh)
  local broken_chunk=problem
  if declare -F "${NAME}_broken_chunk_answer" >/dev/null; then broken_chunk=$("${NAME}_broken_chunk_answer"); fi
  timeout "$SMOKE_TIMEOUT" "$TEST_JAVA" -Xmx256m \
    -Dtailboard.it.baseUrl="http://127.0.0.1:$PORT" -Dtailboard.it.secret="$TAILBOARD_SECRET" \
    -Dtailboard.matrix.state="$DIR/state.json" \
    -Dtailboard.matrix.quietSeconds="$quiet" \
    -Dtailboard.matrix.brokenChunk="$broken_chunk" \
    -jar "$DISTS/$(dist_file $CONSOLE_ARTIFACT)" execute --disable-banner --disable-ansi-colors --fail-if-no-tests --details=tree \
    --class-path "$ROOT/target/test-classes:$TEST_CLASSPATH" --select-class "$1" \
    >>"$DIR/smoke.log" 2>&1
}

show_logs() {
  say "---- $NAME: last lines of $DIR/server.log"
  tail -n 80 "$DIR/server.log" 2>/dev/null | sed "s/^/[$NAME] /"
  if [ -s "$DIR/smoke.log" ]; then
    say "---- $NAME: $DIR/smoke.log"
    grep -v '^\s*$' "$DIR/smoke.log" | tail -n 80 | sed "s/^/[$NAME] /"
  fi
}

# ---- one container: start, smoke, restart on the same data, smoke what it kept -------------
RESULTS=()
FAILED=0
run_container() { # line of CONTAINERS, attempt (1, or 2 after a failure)
  local attempt=${2:-1} IFS='|' artifact war java expected
  read -r NAME artifact war java expected <<<"$1"
  IFS=$' \t\n'
  DIR=$OUT/$NAME
  local version t result="passed" start="-" smoke_s="-" restart="-" resmoke="-"
  version=$(echo "$artifact" | cut -d: -f3)
  [ "$attempt" = 1 ] && rm -rf "$DIR.failed"
  rm -rf "$DIR" && mkdir -p "$DIR/home" "$DIR/data"
  say "== $NAME $version ($war, Java $java+)"
  if ! JAVA_HOME=$(java_home_for "$java"); then
    result="skipped: no Java $java+ on this machine"
  elif ! fetch "$artifact"; then
    result="failed: could not fetch $artifact"
  else
    export JAVA_HOME JAVA="$JAVA_HOME/bin/java" DIST="$DISTS/$(dist_file "$artifact")"
    export WAR="$ROOT/target/$war" HOME_DIR="$DIR/home" DIR NAME
    export TAILBOARD_DATADIR="$DIR/data" TAILBOARD_SECRET="matrix-test-secret-0123456789abcdefgh"
    unset TAILBOARD_DB_URL TAILBOARD_DB_USER
    PORT=$(free_port)
    if declare -F "${NAME}_postgres" >/dev/null && ! create_database "${NAME}_${attempt}_$$"; then
      result="failed: no PostgreSQL database"
    elif ! "${NAME}_prepare" >"$DIR/prepare.log" 2>&1; then
      result="failed: prepare (see $DIR/prepare.log)"
      cat "$DIR/prepare.log"
    else
      export PORT
      t=$(now)
      start_server "$NAME"
      if declare -F "${NAME}_deploy" >/dev/null && ! "${NAME}_deploy" >>"$DIR/server.log" 2>&1; then
        result="failed: deploy"
      elif ! await_healthy; then
        result="failed: no healthy start"
      else
        start=$(since "$t") t=$(now)
        if ! smoke dev.tailboard.matrix.ContainerSmoke; then
          smoke_s=$(since "$t") result="failed: smoke suite"
        else
          smoke_s=$(since "$t")
          stop_server
          t=$(now)
          start_server "$NAME"
          if ! await_healthy; then
            result="failed: no healthy restart"
          else
            restart=$(since "$t") t=$(now)
            smoke dev.tailboard.matrix.ContainerRestartSmoke || result="failed: after the restart"
            resmoke=$(since "$t")
          fi
        fi
      fi
      stop_server
    fi
  fi
  if [[ $result == failed* ]]; then
    show_logs
    if [[ $expected != broken* && $attempt == 1 ]]; then
      # one more try from scratch, so one flaky network read does not fail CI; the result
      # says that the first try failed, and its logs are printed above
      say "== $NAME: $result; trying once more"
      mv "$DIR" "$DIR.failed"
      FIRST_FAILURE="$result"
      run_container "$1" 2
      return
    fi
    if [[ $expected == broken* ]]; then
      result="expected failure (${expected}): $result"
    else
      FAILED=$((FAILED + 1))
    fi
  elif [[ $result == passed && $expected == broken* ]]; then
    result="passed, though listed as broken: update containers.sh and docs/deploy.md"
  fi
  [ "$attempt" = 2 ] && result="$result (second try; the first $FIRST_FAILURE)"
  say "== $NAME: $result (start ${start}s, smoke ${smoke_s}s, restart ${restart}s, smoke after restart ${resmoke}s)"
  RESULTS+=("$(printf '| %-10s | %-12s | %-16s | %6s | %6s | %7s | %6s | %s |' \
    "$NAME" "$version" "$war" "$start" "$smoke_s" "$restart" "$resmoke" "$result")")
}

# ---- main ----------------------------------------------------------------------------------
T0=$(now)
mkdir -p "$DISTS"
for w in tailboard.war tailboard-ee.war; do
  [ -f "target/$w" ] || { say "target/$w missing: run ./mvnw -B verify first"; exit 1; }
done
[ -d target/test-classes/dev/tailboard/matrix ] || { say "test classes missing: run ./mvnw -B verify first"; exit 1; }

selected=()
for line in "${CONTAINERS[@]}"; do
  name=${line%%|*}
  if [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]; then selected+=("$line"); fi
done

say "fetching ${#selected[@]} containers and the JUnit console launcher"
t=$(now)
fetch "$CONSOLE_ARTIFACT" || exit 1
for line in "${selected[@]}"; do
  IFS='|' read -r _ artifact _ <<<"$line"
  fetch "$artifact" || say "could not fetch $artifact"
done
"$ROOT/mvnw" -B -q "$DEPENDENCY_PLUGIN:build-classpath" -Dmdep.includeScope=test \
  -Dmdep.outputFile="$OUT/test.classpath" >"$OUT/fetch.log" 2>&1 || { cat "$OUT/fetch.log"; exit 1; }
# JUnit itself comes with the console launcher
TEST_CLASSPATH=$(tr ':' '\n' <"$OUT/test.classpath" | grep -v '/org/junit/' | paste -sd:)
TEST_JAVA=$(java_home_for 17)/bin/java
say "fetched in $(since "$t")s: $(du -sh "$DISTS" | cut -f1) of distributions"
for line in "${selected[@]}"; do
  if declare -F "${line%%|*}_postgres" >/dev/null; then
    start_postgres || exit 1
    trap 'stop_server; stop_postgres' EXIT
    break
  fi
done

# Lanes: each container's smoke suite waits out a quiet upload (MATRIX_QUIET_SECONDS, 50 s),
# idle time that a second lane fills with another container, so CI stays in its time budget.
# Each lane writes its result rows and failure count; the table below merges them.
LANES=${MATRIX_LANES:-2}
for ((lane = 0; lane < LANES; lane++)); do
  (
    trap stop_server EXIT # a lane stops its own server, however it ends
    for ((i = lane; i < ${#selected[@]}; i += LANES)); do run_container "${selected[$i]}"; done
    printf '%s\n' "${RESULTS[@]}" >"$OUT/lane-$lane.results"
    echo "$FAILED" >"$OUT/lane-$lane.failed"
  ) &
done
wait
RESULTS=()
FAILED=0
for ((lane = 0; lane < LANES; lane++)); do
  while IFS= read -r row; do [ -n "$row" ] && RESULTS+=("$row"); done <"$OUT/lane-$lane.results"
  FAILED=$((FAILED + $(cat "$OUT/lane-$lane.failed")))
done

echo
say "container matrix (seconds; start = launch to a healthy /api/health, deploy included)"
echo "| container  | version      | WAR              |  start |  smoke | restart | smoke2 | result |"
echo "|------------|--------------|------------------|--------|--------|---------|--------|--------|"
printf '%s\n' "${RESULTS[@]}"
passed=$(printf '%s\n' "${RESULTS[@]}" | grep -c '| passed')
skipped=$(printf '%s\n' "${RESULTS[@]}" | grep -c '| skipped')
say "total $(since "$T0")s"
echo "matrix: $passed passed, $FAILED failed, $skipped skipped"
[ "$FAILED" -eq 0 ]
