package dev.tailboard.auth;

/**
 * The ready-to-paste shell snippet logged at first start: it publishes a demo build whose log
 * trickles in over half a minute, so a new user sees live tailing straight away. Plain curl, grep
 * and sed only, since jq is often missing.
 */
final class DemoSnippet {

  private DemoSnippet() {}

  static String text(String baseUrl, String token) {
    return """
        BASE=%s
        TOKEN=%s
        ID=$(curl -fsS -X POST -H "Authorization: Bearer $TOKEN" \\
          -H 'Content-Type: application/json' \\
          -d '{"project":"demo/hello","title":"Demo build"}' "$BASE/api/builds" \\
          | grep -o '"id" *: *"\\{0,1\\}[^",}]*' | head -n 1 | sed 's/^"id" *: *"\\{0,1\\}//')
        echo "Build $ID; follow it in another shell with:"
        echo "  curl -N -H 'Authorization: Bearer $TOKEN' $BASE/api/builds/$ID/events"
        for i in $(seq 1 60); do echo "step $i: doing things"; sleep 0.5; done \\
          | curl -fsS -T - -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/plain' \\
            "$BASE/api/builds/$ID/log"
        curl -fsS -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
          -d '{"status":"passed"}' "$BASE/api/builds/$ID/status"
        """
        .formatted(shellQuote(baseUrl), shellQuote(token));
  }

  /** The follow command on its own, with $ID left for the shell that ran the snippet. */
  static String followLine(String baseUrl) {
    return "curl -N " + baseUrl + "/api/builds/$ID/events";
  }

  static String shellQuote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
