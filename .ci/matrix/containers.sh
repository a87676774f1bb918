# The containers of the matrix (sourced by run.sh). One line each in CONTAINERS:
#   name | Maven artifact of the distribution | WAR it takes | Java it needs | expected
# "expected" is "works", or "broken: <why>" for a container known not to work: its failure is
# reported, not a red build (docs/deploy.md lists the exact error). Each container has a
# NAME_prepare (unpack, bind to 127.0.0.1:$PORT, put the WAR in place), a NAME_run (the
# server in the foreground; run.sh starts it in its own process group) and optionally a
# NAME_deploy (after the server answers).
# Configuration reaches the application as environment variables (TAILBOARD_DATADIR,
# TAILBOARD_SECRET, ...), which run.sh exports and every server passes on to its JVM.
CONTAINERS=(
  "jetty12|org.eclipse.jetty:jetty-home:12.1.8:tar.gz|tailboard.war|17|works"
  "tomcat10|org.apache.tomcat:tomcat:10.1.59:tar.gz|tailboard.war|17|works"
  "tomcat11|org.apache.tomcat:tomcat:11.0.24:tar.gz|tailboard.war|17|works"
  "tomcat11pg|org.apache.tomcat:tomcat:11.0.24:tar.gz|tailboard.war|17|works"
  "payara6|fish.payara.extras:payara-micro:6.2025.10:jar|tailboard-ee.war|17|works"
  "payara7|fish.payara.extras:payara-micro:7.2025.1:jar|tailboard-ee.war|21|works"
  "glassfish7|org.glassfish.main.distributions:glassfish:7.0.21:zip|tailboard-ee.war|17|works"
  "wildfly39|org.wildfly:wildfly-dist:39.0.1.Final:tar.gz|tailboard-ee.war|17|works"
  "liberty|io.openliberty:openliberty-runtime:26.0.0.3:zip|tailboard-ee.war|17|works"
)

# ---- Jetty 12 standalone (ee10): JETTY_HOME from jetty-home, a JETTY_BASE of our own
jetty12_prepare() {
  tar xzf "$DIST" -C "$HOME_DIR"
  JETTY_HOME=$(echo "$HOME_DIR"/jetty-home-*)
  mkdir -p "$HOME_DIR/base/webapps"
  (cd "$HOME_DIR/base" && "$JAVA" -jar "$JETTY_HOME/start.jar" \
    --add-modules=http,ee10-deploy,ee10-annotations,ee10-websocket-jakarta >/dev/null 2>&1)
  cp "$WAR" "$HOME_DIR/base/webapps/root.war" # root.war is deployed at /
}
jetty12_run() {
  cd "$HOME_DIR/base" &&
    exec "$JAVA" -jar "$(echo "$HOME_DIR"/jetty-home-*)/start.jar" \
      jetty.http.host=127.0.0.1 jetty.http.port="$PORT"
}

# ---- Tomcat 10.1 / 11: the distribution, connector on 127.0.0.1:$PORT, no shutdown port.
# A non-blocking read in an async request times out after connectionTimeout without a byte
# (connectionUploadTimeout covers only the first dispatch), and Tomcat has no per-request knob:
# raised to log.streamIdleSeconds + 30 s so a quiet `cmd | curl -T -` step survives, with
# keepAliveTimeout kept at the usual 20 s between requests (docs/ingest.md). The Host's
# ErrorReportValve without report and server info, as docs/deploy.md (container errors) advises:
# a request Tomcat refuses before choosing the WAR otherwise gets a page with its stack trace.
tomcat_prepare() {
  tar xzf "$DIST" -C "$HOME_DIR" --strip-components=1
  sed -i -e 's/<Server port="8005"/<Server port="-1"/' \
    -e "s/<Connector port=\"8080\"/<Connector address=\"127.0.0.1\" port=\"$PORT\"/" \
    -e 's/connectionTimeout="20000"/connectionTimeout="1830000" keepAliveTimeout="20000"/' \
    -e 's#unpackWARs="true" autoDeploy="true">#&<Valve className="org.apache.catalina.valves.ErrorReportValve" showReport="false" showServerInfo="false"/>#' \
    "$HOME_DIR/conf/server.xml"
  rm -rf "$HOME_DIR/webapps/"*
  cp "$WAR" "$HOME_DIR/webapps/ROOT.war" # ROOT.war is deployed at /
}
tomcat_run() { CATALINA_HOME=$HOME_DIR JAVA_HOME=$JAVA_HOME exec "$HOME_DIR/bin/catalina.sh" run; }
tomcat10_prepare() { tomcat_prepare; }
tomcat10_run() { tomcat_run; }
tomcat11_prepare() { tomcat_prepare; }
tomcat11_run() { tomcat_run; }
# the same Tomcat 11 on PostgreSQL (the cluster's store): run.sh starts Debian's PostgreSQL
# and gives this container a database of its own (NAME_postgres says it wants one)
tomcat11pg_postgres() { :; }
tomcat11pg_prepare() { tomcat_prepare; }
tomcat11pg_run() { tomcat_run; }

# ---- Payara Micro 6 / 7: no bind flag; a pre-boot command sets the listener's address
payara_prepare() {
  cp "$DIST" "$HOME_DIR/payara-micro.jar"
  cp "$WAR" "$HOME_DIR/tailboard.war"
  echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1" \
    >"$HOME_DIR/preboot.asadmin"
}
# Grizzly answers a request body it cannot read (a malformed chunk) itself, before the WAR:
# 400 with an empty body (docs/deploy.md, container errors); the smoke suite checks that answer
payara_broken_chunk_answer() { echo empty; }
payara_run() {
  cd "$HOME_DIR" &&
    exec "$JAVA" -Xmx512m -jar payara-micro.jar --nocluster --port "$PORT" --contextroot / \
      --prebootcommandfile preboot.asadmin --rootdir "$HOME_DIR/root" --deploy tailboard.war
}
payara6_prepare() { payara_prepare; }
payara6_broken_chunk_answer() { payara_broken_chunk_answer; }
payara6_run() { payara_run; }
payara7_prepare() { payara_prepare; }
payara7_broken_chunk_answer() { payara_broken_chunk_answer; }
payara7_run() { payara_run; }

# ---- GlassFish 7: domain1 with its listeners moved to 127.0.0.1 and free ports;
# deployed once with asadmin, redeployed by the domain itself after a restart
glassfish7_prepare() {
  unzip -q "$DIST" -d "$HOME_DIR"
  ADMIN_PORT=$(free_port)
  local xml="$HOME_DIR/glassfish7/glassfish/domains/domain1/config/domain.xml"
  # only the server-config block has literal ports; default-config keeps its ${…} ports
  sed -i -e "s/port=\"8080\" protocol=\"http-listener-1\"/address=\"127.0.0.1\" port=\"$PORT\" protocol=\"http-listener-1\"/" \
    -e "s/port=\"8181\" protocol=\"http-listener-2\"/address=\"127.0.0.1\" port=\"$(free_port)\" protocol=\"http-listener-2\"/" \
    -e "s/port=\"4848\" protocol=\"admin-listener\"/address=\"127.0.0.1\" port=\"$ADMIN_PORT\" protocol=\"admin-listener\"/" \
    -e "s/address=\"0.0.0.0\" port=\"8686\"/address=\"127.0.0.1\" port=\"$(free_port)\"/" \
    -e 's/address="0.0.0.0"/address="127.0.0.1"/g' "$xml"
  echo "$ADMIN_PORT" >"$HOME_DIR/admin.port"
}
glassfish7_broken_chunk_answer() { payara_broken_chunk_answer; } # Grizzly, as Payara
glassfish7_run() {
  AS_JAVA=$JAVA_HOME exec "$HOME_DIR/glassfish7/bin/asadmin" start-domain --verbose domain1
}
glassfish7_deploy() {
  # after a restart the domain deploys what it had; only the first start deploys
  [ -f "$HOME_DIR/deployed" ] && return 0
  await_port "$(cat "$HOME_DIR/admin.port")" 120 &&
    AS_JAVA=$JAVA_HOME "$HOME_DIR/glassfish7/bin/asadmin" --host 127.0.0.1 \
      --port "$(cat "$HOME_DIR/admin.port")" deploy --contextroot / --name tailboard "$WAR" &&
    touch "$HOME_DIR/deployed"
}

# ---- WildFly: ROOT.war in the deployment scanner's folder; every socket on 127.0.0.1, moved
# by one port offset whose ports are all free
wildfly39_prepare() {
  tar xzf "$DIST" -C "$HOME_DIR" --strip-components=1
  cp "$WAR" "$HOME_DIR/standalone/deployments/ROOT.war"
  PORT=$(wildfly_offset_port)
  echo $((PORT - 8080)) >"$HOME_DIR/port.offset"
}
# Undertow closes the connection without an answer on a malformed chunk (docs/deploy.md)
wildfly39_broken_chunk_answer() { echo closed; }
wildfly39_run() {
  JAVA_HOME=$JAVA_HOME exec "$HOME_DIR/bin/standalone.sh" -b 127.0.0.1 -bmanagement 127.0.0.1 \
    -Djboss.socket.binding.port-offset="$(cat "$HOME_DIR/port.offset")"
}

# ---- Open Liberty: the full runtime zip (the web-profile zip is not on Maven Central), one
# server whose server.xml enables the Jakarta EE 10 Web Profile
liberty_prepare() {
  unzip -q "$DIST" -d "$HOME_DIR"
  local server="$HOME_DIR/wlp/usr/servers/tailboard"
  mkdir -p "$server/apps"
  cp "$WAR" "$server/apps/tailboard.war"
  cat >"$server/server.xml" <<XML
<server>
  <featureManager>
    <feature>webProfile-10.0</feature>
  </featureManager>
  <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="$PORT" httpsPort="-1"/>
  <webApplication location="tailboard.war" contextRoot="/"/>
</server>
XML
}
# Open Liberty's quiet streamed upload is a known failure (docs/deploy.md): curl gets no answer
# after the quiet step in about 3 of 4 tries, with a 50 or 60 s step and with a longer
# httpOptions readTimeout alike. Skipped (and so reported as skipped in smoke.log) unless
# MATRIX_QUIET_SECONDS_LIBERTY says how long to try.
liberty_quiet_seconds() { echo "${MATRIX_QUIET_SECONDS_LIBERTY:-0}"; }
liberty_run() { JAVA_HOME=$JAVA_HOME exec "$HOME_DIR/wlp/bin/server" run tailboard; }
