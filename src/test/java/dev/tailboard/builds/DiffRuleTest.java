package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The normalisation of docs/failures.md, as a table: pairs that must compare equal, or differ. */
class DiffRuleTest {

  @ParameterizedTest(name = "[{index}] {0} ~ {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          # ANSI escapes and \\r redraws
          "\u001b[1;31merror:\u001b[0m boom"            | error: boom
          "10%\r50%\rDownloaded x"                      | Downloaded x
          # ISO-8601 date-times, with T or a space, fractions, offsets; bare dates
          2024-01-01T12:00:00Z build started            | 2026-12-01T07:13:59.123Z build started
          2024-01-01T12:00:00+02:00 build started       | 2025-06-30T23:59:59.999999-0500 build started
          [2024-01-01 12:00:00] step 3 done             | [2026-12-01 07:00:01] step 3 done
          [2024-01-01 12:00:00,123] INFO go             | [2026-03-04 05:06:07,890] INFO go
          report for 2024-01-01                         | report for 2026-12-01
          # times of day
          12:00:00 INFO starting                        | 07:13:59 INFO starting
          [12:00:00.123] INFO starting                  | [7:13:59.9] INFO starting
          # durations
          ok  compile (12ms)                            | ok  compile (1405ms)
          compiled in 1.5s                              | compiled in 12s
          job took 2m 3s                                | job took 1h 2m 3.25s
          test passed (123 ms)                          | test passed (7 ms)
          it took 3.2 seconds                           | it took 45 seconds
          waited 1 minute                               | waited 3 minutes
          step 5 took 10 ms; retrying                   | step 5 took 2 ms; retrying
          # hex ids: SHAs, container ids, UUIDs
          HEAD is now at 1b9778b Docs                   | HEAD is now at e252fdb Docs
          commit 1b9778bd0c2a6a1f0e7e1f8b0ad4d0b7f00ca1e2 | commit 22e8d35aa0c3f6d1e0f4f7c8b9a0d1e2f3a4b5c6
          container 4f3a2b1c9d8e started                | container a9b8c7d6e5f4 started
          Successfully built 0e1f2d3c4b5a                | Successfully built 9f8e7d6c5b4a
          run 123e4567-e89b-12d3-a456-426614174000 ok   | run 00000000-0000-4000-8000-00000000000a ok
          digest: sha256:ab12cd34ef56ab12cd34ef56       | digest: sha256:ffff0000eeee1111dddd2222
          # temp paths
          wrote /tmp/junit12345/out.txt                 | wrote /tmp/junit98765/out.txt
          cd /tmp/tmp.AbC123xyZ && make                 | cd /tmp/tmp.QwErTy987 && make
          cache at /var/folders/xy/k2j3h4g5/T/cache     | cache at /var/folders/ab/zz9y8x7w/T/cache
          cache at /private/var/folders/xy/k2/T/c       | cache at /private/var/folders/cd/q9/T/c
          C:\\Users\\ana\\AppData\\Local\\Temp\\xyz\\a.log end | C:\\Users\\bob\\AppData\\Local\\Temp\\abc\\a.log end
          unpacked into /work/build/tmp.Ab12Cd/x        | unpacked into /work/build/tmp.Zz98Yy/x
          using /home/runner/tmpa1b2c3d4/venv            | using /home/runner/tmpz9y8x7w6/venv
          "open '/tmp/abc/x.json'"                      | "open '/tmp/def/x.json'"
          # trailing whitespace, runs of spaces and tabs
          "done   "                                      | done
          "a    b\tc"                                   | a b c
          """)
  void normaliseEqual(String a, String b) {
    assertThat(DiffRule.normalise(unescape(a))).isEqualTo(DiffRule.normalise(unescape(b)));
  }

  @ParameterizedTest(name = "[{index}] {0} ≁ {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          # what the rule keeps: words, plain numbers, short or letter-only hex, ordinary paths
          error: expected 3 but was 4                  | error: expected 3 but was 5
          Tests run: 40, Failures: 1                    | Tests run: 40, Failures: 2
          FAIL src/app.test.js                          | FAIL src/api.test.js
          exit code 1                                   | exit code 2
          port 8080 in use                              | port 8081 in use
          build 1234567 failed                          | build 7654321 failed
          value deadbeef                                | value feedface
          id abc123                                     | id abc124
          /home/runner/work/app/src/a.js:3              | /home/runner/work/app/src/b.js:3
          Compiling Unit00123.java                      | Compiling Unit00124.java
          -Xmx512m                                      | -Xmx1024m
          3 steps                                       | 4 steps
          "a b"                                         | ab
          """)
  void normaliseDifferent(String a, String b) {
    assertThat(DiffRule.normalise(a)).isNotEqualTo(DiffRule.normalise(b));
  }

  @ParameterizedTest(name = "[{index}] {0} → {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          2024-01-01T12:00:00Z [INFO] done in 1.5s at 1b9778b | <time> [INFO] done in <duration> at <hex>
          cd /tmp/x/y; rm -rf /tmp/z                          | cd <tmp>; rm -rf <tmp>
          [2024-01-01 12:00:00] took 2m 3s                    | [<time>] took <duration>
          """)
  void placeholders(String line, String normalised) {
    assertThat(DiffRule.normalise(line)).isEqualTo(normalised);
  }

  /**
   * The table writes ESC as {@code \u001b}, CR as {@code \r}, TAB as {@code \t}, {@code \\} as \.
   */
  private static String unescape(String s) {
    return s.replace("\\u001b", "\u001b")
        .replace("\\r", "\r")
        .replace("\\t", "\t")
        .replace("\\\\", "\\");
  }
}
