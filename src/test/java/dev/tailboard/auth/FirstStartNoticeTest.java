package dev.tailboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FirstStartNoticeTest {

  @Test
  void messageCarriesTheTokenAndADemoThatUsesIt() {
    String message = FirstStartNotice.message("http://localhost:8080", "tok.en.sig", "/d/secret");

    assertThat(message)
        .contains("/d/secret")
        .contains("TOKEN='tok.en.sig'")
        .contains("BASE='http://localhost:8080'")
        .contains("{\"project\":\"demo/hello\",\"title\":\"Demo build\"}")
        .contains("\"$BASE/api/builds\"")
        .contains("seq 1 60")
        .contains("curl -fsS -T - ")
        .contains("\"$BASE/api/builds/$ID/log\"")
        .contains("{\"status\":\"passed\"}")
        .contains("curl -N http://localhost:8080/api/builds/$ID/events");
  }

  @Test
  void shellQuotingSurvivesQuotes() {
    assertThat(DemoSnippet.shellQuote("it's")).isEqualTo("'it'\\''s'");
  }
}
