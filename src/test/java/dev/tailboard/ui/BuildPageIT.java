package dev.tailboard.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.Chromium;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.PageWait;
import dev.tailboard.testing.RoomPanel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser UI against the real WAR: Debian's headless Chromium ({@code apt-get install chromium
 * chromium-driver}) driven by Selenium, with the driver path given explicitly so Selenium Manager
 * never runs and nothing downloads a browser.
 */
class BuildPageIT {

  private static final String CHROMIUM = Chromium.BINARY;
  private static final String CHROMEDRIVER = Chromium.DRIVER;
  private static final Duration LIVE = Duration.ofSeconds(1);

  private static ChromeDriver driver;
  private static Path profile;
  private final Api api = Api.publisher();

  @BeforeAll
  static void startBrowser() throws IOException {
    assertThat(new File(CHROMIUM))
        .as("Chromium is needed: apt-get install -y chromium chromium-driver")
        .isFile();
    assertThat(new File(CHROMEDRIVER))
        .as("chromedriver is needed: apt-get install -y chromium chromium-driver")
        .isFile();
    profile = Chromium.newProfile();
    driver = Chromium.start(Chromium.withConsole(Chromium.options(profile)));
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    Chromium.quit(Arrays.asList(driver), Arrays.asList(profile));
  }

  @AfterEach
  void printBrowserConsoleAndCheckNoCspViolation() {
    assertThat(Chromium.cspViolations(Chromium.console(driver))).isEmpty();
  }

  @Test
  void pagesRunUnderTheContentSecurityPolicyThatRefusesInlineScript() {
    long id = api.createBuild("ui-csp/" + shortId());
    api.append(id, Api.lines("line", 1, 3));
    String room = "/rooms/csp-" + shortId();
    for (String path : List.of("/", "/builds/" + id, room, "/app/style.css", "/api/builds/" + id)) {
      var headers = api.get(path).headers();
      assertThat(headers.firstValue("Content-Security-Policy").orElse(""))
          .as(path)
          .startsWith("default-src 'self'; script-src 'self' 'sha256-")
          .contains("frame-ancestors 'self'");
      assertThat(headers.firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
    }
    open("/builds/" + id);
    awaitTrue(() -> lineCount() == 3);
    assertThat(Chromium.cspViolations(Chromium.console(driver))).isEmpty();

    // the policy is enforced and its refusals reach the console the check above reads
    Object ran =
        driver.executeScript(
            "const s = document.createElement('script');"
                + " s.textContent = 'window.inlineRan = true'; document.head.append(s);"
                + " return window.inlineRan === true;");
    assertThat(ran).isEqualTo(false);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !Chromium.cspViolations(Chromium.console(driver)).isEmpty());
  }

  @Test
  void followsLiveLinesWithColoursProgressAndFoldingSections() throws IOException {
    long id = api.createBuild("ui/" + shortId());
    open("/builds/" + id);
    awaitBadge("live");

    api.append(id, List.of("hello 1", "hello 2"));
    awaitLive(() -> "hello 2".equals(text(2)));

    api.append(
        id,
        List.of(
            "\u001b[31mred starts here",
            "still red\u001b[0m then plain",
            "progress 10%\rprogress 50%\rprogress 100%",
            "::group::Compile",
            "compiling a",
            "::group::Inner",
            "inner line",
            "::endgroup::",
            "compiled",
            "::endgroup::",
            "after the group"));
    awaitLive(() -> "after the group".equals(text(13)));

    // ANSI: the colour opened on line 3 carries on into line 4, up to the reset.
    assertThat(colourOf(3, "red starts here")).isEqualTo("rgba(187, 0, 0, 1)");
    assertThat(colourOf(4, "still red")).isEqualTo("rgba(187, 0, 0, 1)");
    assertThat(line(4).findElements(By.cssSelector(".txt span")))
        .noneMatch(s -> s.getText().contains("then plain"));
    // \r: only what follows the last one shows.
    assertThat(text(5)).isEqualTo("progress 100%");

    // Sections fold, nested: a ::group:: folds once it is over (GitHub's convention), and the
    // ::endgroup:: markers take no row while every line keeps its number.
    assertThat(line(6).getText()).contains("Compile");
    assertThat(line(6).getAttribute("class")).contains("folded");
    assertThat(line(7).isDisplayed()).isFalse();
    line(6).findElement(By.className("fold")).click();
    awaitTrue(() -> line(7).isDisplayed() && line(8).isDisplayed() && !line(9).isDisplayed());
    assertThat(line(11).isDisplayed()).isTrue(); // "compiled"
    assertThat(line(12).isDisplayed()).isFalse(); // ::endgroup::
    assertThat(line(13).isDisplayed()).isTrue();
    line(8).findElement(By.className("fold")).click();
    awaitTrue(() -> line(9).isDisplayed() && !line(10).isDisplayed());
    line(6).findElement(By.className("fold")).click();
    awaitTrue(() -> !line(7).isDisplayed() && !line(9).isDisplayed() && line(13).isDisplayed());
    line(6).findElement(By.className("fold")).click();
    awaitTrue(() -> line(7).isDisplayed() && line(9).isDisplayed());
    assertThat(driver.findElement(By.id("log")).getText()).doesNotContain("::endgroup::");

    // Each line exactly once, numbered as the server numbered it.
    assertThat(lineCount()).isEqualTo(13);

    api.postJson("/api/builds/" + id + "/steps", "{\"name\":\"test\",\"status\":\"running\"}");
    api.append(
        id,
        List.of(
            "\u001b[32m✔\u001b[0m parses the config",
            "\u001b[32m✔\u001b[0m streams lines",
            "\u001b[1;33mwarning:\u001b[0m slow test (1.2s)"));
    api.postJson("/api/builds/" + id + "/steps", "{\"name\":\"test\",\"status\":\"passed\"}");
    api.status(id, "passed");
    awaitBadge("finished");
    await().atMost(Duration.ofSeconds(5)).until(this::lineCount, n -> n == 16);
    assertThat(driver.findElement(By.id("raw")).getAttribute("href"))
        .endsWith("/api/builds/" + id + "/log");
    assertThat(driver.findElement(By.id("status")).getText()).isEqualToIgnoringCase("passed");

    // Join the room for the README's screenshot: notes and a chat beside the log.
    RoomPanel.join(driver, "ana");
    awaitTrue(() -> "live".equals(driver.findElement(By.id("room")).getAttribute("data-state")));
    driver
        .findElement(By.cssSelector("#room-notes .cm-content"))
        .sendKeys("Slow test again: see line 16.", Keys.ENTER, "Next: retry with --seed 7");
    driver.findElement(By.id("room-text")).sendKeys("the warning on 16 is new", Keys.ENTER);
    awaitTrue(() -> driver.findElements(By.cssSelector("#room-chat .pending")).isEmpty());

    Path shot = Path.of(System.getProperty("basedir", "."), "docs", "build-page.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void gitLabSectionsCountErrorsTimesShowAndSearchFindsFoldedLines() {
    long id = api.createBuild("ui/" + shortId());
    List<String> lines = new java.util.ArrayList<>();
    lines.add("section_start:1700000000:deps[collapsed=true]\r\u001b[0KInstalling deps");
    lines.add("dep a");
    lines.add("\u001b[31mERROR:\u001b[0m dep b failed");
    lines.add("section_end:1700000012:deps\r\u001b[0K");
    lines.addAll(Api.lines("filler", 5, 300));
    lines.add("the needle is here"); // line 305
    api.append(id, lines);
    open("/builds/" + id);
    awaitTrue(() -> text(305).equals("the needle is here"));

    // The GitLab section: its title, folded as the marker asked, 12 s long, one error inside.
    driver.executeScript("window.scrollTo(0, 0)");
    awaitTrue(() -> line(1).isDisplayed());
    WebElement head = line(1);
    assertThat(head.getAttribute("class")).contains("section-head", "folded");
    assertThat(head.findElement(By.className("section-title")).getText())
        .isEqualTo("Installing deps");
    assertThat(head.findElement(By.className("section-duration")).getText()).isEqualTo("12s");
    assertThat(head.findElement(By.className("section-errors")).getText()).isEqualTo("✖ 1");
    assertThat(line(3).isDisplayed()).isFalse();

    // Timestamps on demand.
    assertThat(line(5).findElement(By.className("ts")).isDisplayed()).isFalse();
    driver.findElement(By.id("times")).click();
    String clock = line(5).findElement(By.className("ts")).getText();
    assertThat(clock).matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3}");

    // The server-side search finds the line inside the folded section and unfolds it.
    WebElement q = driver.findElement(By.id("search-q"));
    q.sendKeys("DEP B", Keys.ENTER);
    awaitTrue(() -> driver.findElement(By.id("search-count")).getText().equals("1 / 1"));
    awaitTrue(() -> line(3).isDisplayed() && line(3).getAttribute("class").contains("highlight"));
    assertThat(line(3).getAttribute("class")).contains("match");

    // A new query: matches are marked, Enter moves to the next and wraps around.
    q.clear();
    q.sendKeys("needle", Keys.ENTER);
    awaitTrue(() -> driver.findElement(By.id("search-count")).getText().equals("1 / 1"));
    awaitTrue(() -> line(305).getAttribute("class").contains("highlight") && inViewport(305));
    q.clear();
    q.sendKeys("filler-29", Keys.ENTER); // filler-29 and filler-290 … filler-299
    awaitTrue(() -> driver.findElement(By.id("search-count")).getText().equals("1 / 11"));
    q.sendKeys(Keys.ENTER);
    awaitTrue(() -> driver.findElement(By.id("search-count")).getText().equals("2 / 11"));
    awaitTrue(() -> line(290).getAttribute("class").contains("highlight"));
    api.status(id, "passed");
  }

  @Test
  void aLongLogOpensAtItsEndAndASearchBeforeItLoadsTheWholeLog() {
    long id = api.createBuild("ui/" + shortId());
    for (int i = 0; i < 20; i++) {
      api.append(id, Api.lines("x", 1 + i * 100, 100));
    }
    api.status(id, "failed");
    open("/builds/" + id + "?tail=300");
    awaitTrue(() -> text(2000).equals("x-2000") && inViewport(2000));

    // Only the tail is loaded (from the chunk holding line 1701), and the banner says so.
    WebElement banner = driver.findElement(By.id("partial"));
    assertThat(banner.isDisplayed()).isTrue();
    assertThat(driver.findElement(By.id("partial-from")).getText()).isEqualTo("1,701");
    assertThat(driver.findElements(By.id("L1700"))).isEmpty();
    assertThat(lineCount()).isLessThanOrEqualTo(300);

    // A search match before the tail loads the whole log and lands on it.
    driver.findElement(By.id("search-q")).sendKeys("x-500", Keys.ENTER);
    awaitTrue(
        () ->
            line(500).getAttribute("class").contains("highlight")
                && inViewport(500)
                && !banner.isDisplayed());
    assertThat(driver.findElement(By.id("search-count")).getText()).isEqualTo("1 / 1");
    driver.executeScript("window.scrollTo(0, 0)");
    awaitTrue(() -> text(1).equals("x-1"));
  }

  @Test
  void aSecretRegisteredAfterItWasShownVanishesFromThePage() {
    long id = api.createBuild("ui/" + shortId());
    String secret = "tok-" + shortId() + "-" + shortId();
    open("/builds/" + id);
    awaitBadge("live");
    api.append(id, List.of("fetching", "curl -H 'Authorization: " + secret + "' https://x", "ok"));
    awaitLive(() -> text(2).contains(secret));

    api.postJson("/api/builds/" + id + "/masks", Map.of("values", List.of(secret)));

    awaitTrue(() -> text(2).equals("curl -H 'Authorization: ***' https://x"));
    assertThat(driver.findElement(By.id("log")).getText()).doesNotContain(secret);
    assertThat(text(1)).isEqualTo("fetching");
    assertThat(text(3)).isEqualTo("ok");
    api.status(id, "failed");
  }

  @Test
  void stepsFoldAsSectionsWithTheirDuration() {
    long id = api.createBuild("ui/" + shortId());
    open("/builds/" + id);
    awaitBadge("live");
    String steps = "/api/builds/" + id + "/steps";
    api.postJson(steps, "{\"name\":\"compile\",\"status\":\"running\"}");
    api.postJson(
        "/api/builds/" + id + "/log",
        Map.of("lines", List.of("javac a", "javac b", "error: b.java:3"), "step", "compile"));
    api.postJson(steps, "{\"name\":\"compile\",\"status\":\"failed\"}");
    api.postJson(steps, "{\"name\":\"report\",\"status\":\"running\"}");
    api.postJson(
        "/api/builds/" + id + "/log", Map.of("lines", List.of("writing report"), "step", "report"));
    awaitLive(() -> text(4).equals("writing report"));

    // Each step heads its lines (a head row with no line number of its own), with its errors.
    WebElement compile = driver.findElement(By.id("S1"));
    assertThat(compile.findElement(By.className("section-title")).getText()).isEqualTo("compile");
    assertThat(compile.findElement(By.className("ln")).getText()).isEmpty();
    assertThat(compile.findElement(By.className("section-errors")).getText()).isEqualTo("✖ 1");
    awaitTrue(
        () ->
            driver
                .findElement(By.id("S1"))
                .findElement(By.className("section-duration"))
                .getText()
                .matches("\\d+s"));
    assertThat(driver.findElement(By.id("S4")).findElement(By.className("section-title")).getText())
        .isEqualTo("report");
    driver.findElement(By.id("S1")).findElement(By.className("fold")).click();
    awaitTrue(() -> !line(1).isDisplayed() && !line(3).isDisplayed() && line(4).isDisplayed());
    assertThat(lineCount()).isEqualTo(6); // four lines and two step heads
    api.status(id, "failed");
  }

  @Test
  void eightTabsOfOneBrowserShareOneConnectionAndAllFollowLive() {
    // HTTP/1.1 allows six connections per host: eight tabs with a stream each would starve.
    String first = driver.getWindowHandle();
    List<Long> ids = new java.util.ArrayList<>();
    List<String> tabs = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        long id = api.createBuild("ui-tabs/" + shortId());
        ids.add(id);
        if (i > 0) {
          driver.switchTo().newWindow(WindowType.TAB);
        }
        tabs.add(driver.getWindowHandle());
        open("/builds/" + id);
        awaitBadge("live");
      }
      for (int i = 0; i < 8; i++) {
        api.append(ids.get(i), List.of("hello tab " + i));
      }
      for (int i = 0; i < 8; i++) {
        driver.switchTo().window(tabs.get(i));
        int tab = i;
        awaitTrue(() -> text(1).equals("hello tab " + tab));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> stats =
          (Map<String, Object>)
              driver.executeAsyncScript(
                  "const done = arguments[arguments.length - 1];"
                      + "import('../app/streams.js').then(m => m.sharedStats()).then(done);");
      assertThat(stats).containsEntry("connections", 1L).containsEntry("streams", 8L);
    } finally {
      for (String t : tabs) {
        if (!t.equals(first)) {
          driver.switchTo().window(t).close();
        }
      }
      driver.switchTo().window(first);
      ids.forEach(id -> api.status(id, "passed"));
    }
  }

  @Test
  void deepLinkLandsOnTheLineAndFollowingStopsOnScrollUp() {
    long id = api.createBuild("ui/" + shortId());
    api.append(id, Api.lines("line", 1, 300));
    api.status(id, "passed");

    open("/builds/" + id + "#L123");
    awaitTrue(() -> line(123).getAttribute("class").contains("highlight"));
    assertThat(inViewport(123)).isTrue();
    assertThat(driver.findElement(By.id("follow")).isSelected()).isFalse();
    assertThat(driver.findElements(By.cssSelector(".line.highlight"))).hasSize(1);

    // Clicking a line number sets the hash and moves the highlight.
    line(130).findElement(By.className("ln")).click();
    awaitTrue(() -> line(130).getAttribute("class").contains("highlight"));
    assertThat(driver.getCurrentUrl()).endsWith("#L130");
    assertThat(line(123).getAttribute("class")).doesNotContain("highlight");

    // Without a hash the page follows the tail, until the reader scrolls up.
    long running = api.createBuild("ui/" + shortId());
    api.append(running, Api.lines("tail", 1, 200));
    open("/builds/" + running);
    awaitBadge("live");
    awaitTrue(() -> lineCount() == 200 && inViewport(200));
    assertThat(driver.findElement(By.id("follow")).isSelected()).isTrue();
    driver.executeScript("window.scrollTo(0, 0)");
    awaitTrue(() -> !driver.findElement(By.id("follow")).isSelected());
    api.append(running, Api.lines("tail", 201, 5));
    awaitTrue(() -> lineCount() == 205);
    assertThat(inViewport(205)).isFalse();
    api.status(running, "canceled");
  }

  @Test
  void longLogRendersOnlyTheLinesInView() {
    // The IT server caps a build at 20,000 lines (tailboard.log.maxLinesPerBuild in pom.xml).
    int total = 20_000;
    int chunk = 5_000;
    int middle = total / 2;
    long id = api.createBuild("ui/" + shortId());
    for (int from = 1; from <= total; from += chunk) {
      api.append(id, Api.lines("big", from, chunk));
    }

    // Following the tail: the last line shows, and the DOM holds only the lines around it.
    open("/builds/" + id);
    awaitBadge("live");
    awaitTrue(() -> ("big-" + total).equals(text(total)) && inViewport(total));
    assertThat(driver.findElement(By.id("follow")).isSelected()).isTrue();
    assertThat(lineCount()).isLessThan(500);
    assertThat(driver.findElements(By.id("L1"))).isEmpty();

    // A deep link to a line that is not rendered yet scrolls to it and highlights it.
    open("/builds/" + id + "#L" + middle);
    awaitTrue(() -> line(middle).getAttribute("class").contains("highlight") && inViewport(middle));
    assertThat(text(middle)).isEqualTo("big-" + middle);
    assertThat(driver.findElement(By.id("follow")).isSelected()).isFalse();
    assertThat(lineCount()).isLessThan(500);

    // Scrolling far renders the lines that come into view, and only those.
    driver.executeScript("window.scrollBy(0, 40000)");
    awaitTrue(
        () ->
            (Boolean)
                driver.executeScript(
                    "const e = document.elementFromPoint(200, window.innerHeight / 2);"
                        + "const l = e && e.closest('.line');"
                        + "return !!l && Number(l.id.slice(1)) > arguments[0] + 1500;",
                    middle));
    assertThat(lineCount()).isLessThan(500);

    // The same on a fresh load of the page.
    driver.navigate().refresh();
    awaitTrue(() -> line(middle).getAttribute("class").contains("highlight") && inViewport(middle));
    assertThat(driver.findElements(By.cssSelector(".line.highlight"))).hasSize(1);
    assertThat(lineCount()).isLessThan(500);
    api.status(id, "passed");
  }

  @Test
  void longPollsWhenEventSourceIsMissing() {
    Map<String, Object> script =
        driver.executeCdpCommand(
            "Page.addScriptToEvaluateOnNewDocument",
            Map.of("source", "delete window.EventSource;"));
    try {
      long id = api.createBuild("ui/" + shortId());
      api.append(id, Api.lines("before", 1, 3));
      open("/builds/" + id);
      assertThat(driver.executeScript("return typeof window.EventSource")).isEqualTo("undefined");
      awaitTrue(() -> lineCount() == 3);
      awaitBadge("long-polling");

      api.append(id, List.of("polled 4", "polled 5"));
      awaitLive(() -> "polled 5".equals(text(5)));
      assertThat(badge()).isEqualTo("long-polling");
      api.append(id, List.of("polled 6"));
      api.status(id, "failed");
      awaitBadge("finished");
      assertThat(lineCount()).isEqualTo(6);
      assertThat(text(6)).isEqualTo("polled 6");
    } finally {
      driver.executeCdpCommand(
          "Page.removeScriptToEvaluateOnNewDocument",
          Map.of("identifier", script.get("identifier")));
    }
  }

  @Test
  void dashboardListsNewBuildsAndUpdatesTheirStatusLive() {
    String project = "ui-dash/" + shortId();
    String other = "ui-dash/" + shortId();
    long older = api.createBuild(project);

    open("/");
    awaitBadge("live");
    awaitTrue(() -> !rows(older).isEmpty());
    long id = api.createBuild(project);
    awaitTrue(() -> "queued".equals(rowStatus(id)));
    WebElement link = rows(id).get(0).findElement(By.cssSelector("td.id a"));
    assertThat(link.getAttribute("href")).endsWith("/builds/" + id);
    // newest first
    List<WebElement> all = driver.findElements(By.cssSelector("#builds tbody tr"));
    assertThat(all.get(0).getAttribute("data-id")).isEqualTo(String.valueOf(id));

    api.append(id, List.of("starting"));
    awaitTrue(() -> "running".equals(rowStatus(id)));
    api.status(id, "passed");
    awaitTrue(() -> "passed".equals(rowStatus(id)));

    // Filters come from the query string, live updates included.
    open("/?project=" + project + "&status=passed");
    awaitBadge("live");
    awaitTrue(() -> !rows(id).isEmpty());
    assertThat(rows(older)).isEmpty();
    assertThat(driver.findElement(By.id("f-project")).getAttribute("value")).isEqualTo(project);
    long elsewhere = api.createBuild(other);
    api.status(elsewhere, "passed");
    api.status(older, "passed");
    awaitTrue(() -> !rows(older).isEmpty());
    assertThat(rows(elsewhere)).isEmpty();

    rows(id).get(0).findElement(By.cssSelector("td.id a")).click();
    awaitTrue(() -> driver.getCurrentUrl().endsWith("/builds/" + id));
    awaitTrue(() -> text(1).equals("starting"));
  }

  // ---- failure first (issue 15) ----

  /** A GitHub-Actions-style log of a failed build: three groups, one failing test in the last. */
  private static List<String> failingActionsLog() {
    List<String> lines = new java.util.ArrayList<>(Api.lines("Run actions/checkout", 1, 60));
    lines.add("::group::Set up job"); // 61
    lines.add("Runner version 2.317.0");
    lines.add("::endgroup::"); // 63
    lines.add("::group::Install"); // 64
    lines.addAll(Api.lines("installing pkg", 1, 200)); // 65 .. 264
    lines.add("::endgroup::"); // 265
    lines.add("::group::Test"); // 266
    lines.addAll(Api.lines("\u001b[32m✔\u001b[0m test ok", 1, 12)); // 267 .. 278
    lines.add("\u001b[31m✗ streams lines: error: expected 3, got 4\u001b[0m"); // 279
    lines.add("    at Object.<anonymous> (test/streams.test.js:12:5)"); // 280
    lines.add("::error title=Test failed,file=test/streams.test.js,line=12::expected 3, got 4");
    lines.add("::endgroup::"); // 282
    lines.add("Error: Process completed with exit code 1."); // 283
    return lines;
  }

  @Test
  void aFailedBuildOpensAtItsFirstErrorWithOnlyItsGroupUnfoldedAndEStepsThroughErrors()
      throws IOException {
    long id = api.createBuild("ui-fail/" + shortId());
    api.append(id, failingActionsLog());
    api.status(id, "failed");
    open("/builds/" + id);
    awaitTrue(() -> inViewport(279) && line(279).getAttribute("class").contains("highlight"));
    assertThat(text(279)).isEqualTo("✗ streams lines: error: expected 3, got 4");
    assertThat(line(279).getAttribute("class")).contains("error");
    assertThat(driver.findElement(By.id("follow")).isSelected()).isFalse();

    // Only the group holding the error is unfolded; the markers take no row.
    assertThat(line(266).getAttribute("class")).doesNotContain("folded");
    assertThat(line(64).getAttribute("class")).contains("folded");
    assertThat(line(61).getAttribute("class")).contains("folded");
    assertThat(line(278).isDisplayed()).isTrue();
    assertThat(driver.findElements(By.id("L65"))).allMatch(l -> !l.isDisplayed());
    assertThat(driver.findElements(By.id("L282"))).allMatch(l -> !l.isDisplayed());
    assertThat(driver.findElement(By.id("log")).getText()).doesNotContain("::endgroup::");
    assertThat(text(283)).isEqualTo("Error: Process completed with exit code 1.");
    assertThat(driver.findElement(By.id("errors")).getAttribute("data-count")).isEqualTo("3");

    // e / Shift+e step through the error lines (not while typing in the search box).
    WebElement body = driver.findElement(By.tagName("body"));
    body.sendKeys("e");
    awaitTrue(() -> line(281).getAttribute("class").contains("highlight"));
    body.sendKeys("e");
    awaitTrue(() -> line(283).getAttribute("class").contains("highlight") && inViewport(283));
    body.sendKeys(Keys.SHIFT, "e");
    awaitTrue(() -> line(281).getAttribute("class").contains("highlight"));
    driver.findElement(By.id("search-q")).sendKeys("e");
    assertThat(line(281).getAttribute("class")).contains("highlight");
    driver.findElement(By.id("search-q")).clear();

    // The screenshot of the README: a failed build, opened at its failure.
    body.sendKeys(Keys.SHIFT, "e");
    awaitTrue(() -> line(279).getAttribute("class").contains("highlight") && inViewport(279));
    Path shot = Path.of(System.getProperty("basedir", "."), "docs", "failed-build.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));

    // A #L hash wins over the first error.
    open("/builds/" + id + "#L10");
    awaitTrue(() -> line(10).getAttribute("class").contains("highlight") && inViewport(10));
    assertThat(driver.findElements(By.cssSelector(".line.highlight"))).hasSize(1);
  }

  @Test
  void anErrorCommandShowsAsAnAnnotationAtTheTopLinkedToItsLine() {
    // Needs the server side (branch fail-server): GET …/annotations and `annotation` events.
    long id = api.createBuild("ui-fail/" + shortId());
    List<String> lines = new java.util.ArrayList<>(Api.lines("step", 1, 149));
    lines.add("::error file=src/app.js,line=3::boom"); // 150
    lines.addAll(Api.lines("after", 151, 150));
    api.append(id, lines);
    api.status(id, "failed");
    open("/builds/" + id + "#L1");
    awaitTrue(() -> line(1).getAttribute("class").contains("highlight"));
    awaitTrue(() -> !driver.findElements(By.cssSelector("#annotations .annotation")).isEmpty());
    WebElement a = driver.findElement(By.cssSelector("#annotations .annotation"));
    assertThat(a.getAttribute("class")).contains("annotation-error");
    assertThat(a.findElement(By.className("annotation-icon")).getText()).isEqualTo("✖");
    assertThat(a.findElement(By.className("annotation-text")).getText()).isEqualTo("boom");
    assertThat(a.findElement(By.className("annotation-file")).getText()).isEqualTo("src/app.js:3");
    a.findElement(By.tagName("a")).click();
    awaitTrue(() -> line(150).getAttribute("class").contains("highlight") && inViewport(150));
    assertThat(driver.getCurrentUrl()).endsWith("#L150");

    // Live: an annotation published while the page is open is added to the list.
    long live = api.createBuild("ui-fail/" + shortId());
    open("/builds/" + live);
    awaitBadge("live");
    api.append(live, List.of("lint", "::warning file=a.css,line=7,col=2,title=Lint::unused rule"));
    awaitTrue(() -> !driver.findElements(By.cssSelector("#annotations .annotation")).isEmpty());
    WebElement w = driver.findElement(By.cssSelector("#annotations .annotation"));
    assertThat(w.getAttribute("class")).contains("annotation-warning");
    assertThat(w.findElement(By.className("annotation-text")).getText())
        .isEqualTo("Lint: unused rule");
    assertThat(w.findElement(By.className("annotation-file")).getText()).isEqualTo("a.css:7:2");
    assertThat(w.findElement(By.tagName("a")).getAttribute("href")).endsWith("#L2");
    api.status(live, "failed");
  }

  @Test
  void gitLabSectionsFoldAsTheirCollapsedOptionSaysAndTheirEndMarkersTakeNoRow() {
    long id = api.createBuild("ui/" + shortId());
    api.append(
        id,
        List.of(
            "section_start:1700000000:prepare[collapsed=true]\r\u001b[0KPreparing",
            "pulling image",
            "section_end:1700000003:prepare\r\u001b[0K",
            "section_start:1700000003:build\r\u001b[0KBuilding",
            "make all",
            "section_end:1700000009:build\r\u001b[0K",
            "Job succeeded"));
    api.status(id, "passed");
    open("/builds/" + id);
    awaitTrue(() -> text(7).equals("Job succeeded"));
    assertThat(line(1).getAttribute("class")).contains("section-head", "folded");
    assertThat(line(2).isDisplayed()).isFalse();
    assertThat(line(4).getAttribute("class")).contains("section-head").doesNotContain("folded");
    assertThat(line(5).isDisplayed()).isTrue();
    assertThat(line(3).isDisplayed()).isFalse();
    assertThat(line(6).isDisplayed()).isFalse();
    assertThat(driver.findElement(By.id("log")).getText()).doesNotContain("section_end");
    // the numbers are the stored log's: 5 is still "make all", 7 the last line
    assertThat(line(5).findElement(By.className("ln")).getText()).isEqualTo("5");
    assertThat(line(7).findElement(By.className("ln")).getAttribute("href")).endsWith("#L7");
  }

  @Test
  void aLiveBuildsErrorCountGrowsAsErrorLinesArrive() {
    long id = api.createBuild("ui/" + shortId());
    open("/builds/" + id);
    awaitBadge("live");
    api.append(id, List.of("compiling", "compiled"));
    awaitLive(() -> "compiled".equals(text(2)));
    assertThat(driver.findElement(By.id("errors")).isDisplayed()).isFalse();
    api.append(id, List.of("error: a.c:3: expected ';'"));
    awaitLive(() -> driver.findElement(By.id("errors")).getText().equals("✖ 1 error"));
    api.append(id, List.of("still going", "error: b.c:9: undeclared", "error: c.c:1: bad"));
    awaitLive(() -> driver.findElement(By.id("errors")).getText().equals("✖ 3 errors"));
    assertThat(line(4).getAttribute("class")).doesNotContain("error");
    assertThat(line(5).getAttribute("class")).contains("error");
    // a live build keeps following its tail: the errors do not move the page
    assertThat(driver.findElement(By.id("follow")).isSelected()).isTrue();
    api.status(id, "failed");
  }

  @Test
  void theDiffOfAFailedBuildListsExactlyTheLinesNewSinceTheLastGreenOne() {
    // Needs the server side (branch fail-diff): GET …/diff?against=last-passed.
    String project = "ui-diff/" + shortId();
    long lone = api.createBuild("ui-diff/" + shortId());
    api.append(lone, List.of("error: nothing to compare with"));
    api.status(lone, "failed");
    open("/builds/" + lone + "#L1");
    awaitTrue(() -> driver.findElement(By.id("diff-open")).isDisplayed());
    driver.findElement(By.id("diff-open")).click();
    awaitTrue(() -> "none".equals(driver.findElement(By.id("diff")).getAttribute("data-state")));
    assertThat(driver.findElement(By.id("diff-summary")).getText())
        .startsWith("No passed build of this project and ref to compare with");

    long green = api.createBuild(project);
    api.append(
        green,
        List.of(
            "[2026-01-05T10:00:01Z] checkout 3f2a9c1d", "compile ok", "test a ok", "test b ok"));
    api.status(green, "passed");
    long red = api.createBuild(project);
    api.append(
        red,
        List.of(
            "[2026-01-06T08:30:59Z] checkout 9b8e7f60",
            "compile ok",
            "warning: deprecated flag",
            "test a ok",
            "test b FAILED: error: expected 3, got 4",
            "Error: Process completed with exit code 1."));
    api.status(red, "failed");
    open("/builds/" + red + "#L1");
    awaitTrue(() -> driver.findElement(By.id("diff-open")).isDisplayed());
    driver.findElement(By.id("diff-open")).click();
    awaitTrue(() -> "done".equals(driver.findElement(By.id("diff")).getAttribute("data-state")));
    List<WebElement> rows = driver.findElements(By.cssSelector("#diff-body .diff-line"));
    assertThat(rows).extracting(r -> r.getAttribute("data-n")).containsExactly("3", "5", "6");
    assertThat(rows.get(1).findElement(By.className("diff-text")).getText())
        .isEqualTo("test b FAILED: error: expected 3, got 4");
    assertThat(driver.findElement(By.id("diff-summary")).getText())
        .startsWith("3 lines new since #" + green);
    rows.get(1).findElement(By.tagName("a")).click();
    awaitTrue(() -> line(5).getAttribute("class").contains("highlight"));
  }

  @Test
  void theDashboardPagesBackToTheOldestBuildAndFiltersByRef() {
    // 250 builds (the issue's figure is 20,000: creating those over HTTP takes too long for an
    // IT); the dashboard loads 100 a page, so the oldest is two "Older" clicks away.
    String project = "ui-many/" + shortId();
    long oldest = api.createBuild(project);
    for (int i = 1; i < 250; i++) {
      api.createBuild(project);
    }
    open("/?project=" + project);
    awaitTrue(() -> dashboardRows() == 100);
    assertThat(rows(oldest)).isEmpty();
    driver.findElement(By.id("older")).click();
    awaitTrue(() -> dashboardRows() == 200);
    driver.findElement(By.id("older")).click();
    awaitTrue(() -> dashboardRows() == 250 && !rows(oldest).isEmpty());
    assertThat(driver.findElement(By.id("older")).isDisplayed()).isFalse();
    List<WebElement> all = driver.findElements(By.cssSelector("#builds tbody tr"));
    assertThat(all.get(all.size() - 1).getAttribute("data-id")).isEqualTo(String.valueOf(oldest));

    String refs = "ui-ref/" + shortId();
    long onMain =
        Api.json(api.postJson("/api/builds", Map.of("project", refs, "ref", "main")))
            .get("id")
            .asLong();
    long onBranch =
        Api.json(api.postJson("/api/builds", Map.of("project", refs, "ref", "fix-x")))
            .get("id")
            .asLong();
    open("/?project=" + refs + "&ref=fix-x");
    awaitTrue(() -> !rows(onBranch).isEmpty());
    assertThat(rows(onMain)).isEmpty();
    assertThat(driver.findElement(By.id("f-ref")).getAttribute("value")).isEqualTo("fix-x");
  }

  @Test
  void aFailedDashboardRowShowsItsFirstErrorAndItsAnnotationCount() {
    String project = "ui-why/" + shortId();
    long id = api.createBuild(project);
    api.append(
        id,
        List.of(
            "compiling",
            "error: src/app.js:3: boom",
            "::error file=src/app.js,line=3::boom",
            "::warning::slow"));
    api.status(id, "failed");
    open("/?project=" + project);
    awaitTrue(() -> !rows(id).isEmpty());
    WebElement row = rows(id).get(0);
    assertThat(row.findElement(By.className("first-error")).getText())
        .isEqualTo("error: src/app.js:3: boom");
    assertThat(row.findElement(By.className("first-error")).getAttribute("href"))
        .endsWith("/builds/" + id + "#L2");
    assertThat(row.findElement(By.className("annotation-counts")).getText()).isEqualTo("✖ 1 ⚠ 1");
  }

  private int dashboardRows() {
    return driver.findElements(By.cssSelector("#builds tbody tr")).size();
  }

  // ---- helpers ----

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static void open(String path) {
    driver.get(ItServer.baseUrl() + path);
  }

  private static WebElement line(int n) {
    return driver.findElement(By.id("L" + n));
  }

  private static String text(int n) {
    return line(n).findElement(By.className("txt")).getText();
  }

  private static String colourOf(int n, String content) {
    return line(n).findElements(By.cssSelector(".txt span")).stream()
        .filter(s -> s.getText().contains(content))
        .findFirst()
        .orElseThrow()
        .getCssValue("color");
  }

  private int lineCount() {
    return ((Number) driver.executeScript("return document.querySelectorAll('#log .line').length"))
        .intValue();
  }

  private static boolean inViewport(int n) {
    return (Boolean)
        driver.executeScript(
            "const r = document.getElementById('L' + arguments[0]).getBoundingClientRect();"
                + "return r.top >= 0 && r.bottom <= window.innerHeight;",
            n);
  }

  private static String badge() {
    return driver.findElement(By.id("connection")).getText();
  }

  private static void awaitBadge(String state) {
    await("badge " + state)
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(BuildPageIT::badge, state::equals);
  }

  private static List<WebElement> rows(long id) {
    return driver.findElements(By.cssSelector("#builds tbody tr[data-id='" + id + "']"));
  }

  private static String rowStatus(long id) {
    List<WebElement> r = rows(id);
    return r.isEmpty() ? null : r.get(0).getAttribute("data-status");
  }

  /** Live updates must show within a second of the publish returning. */
  private static void awaitLive(Callable<Boolean> condition) {
    await().atMost(LIVE).pollInterval(Duration.ofMillis(25)).ignoreExceptions().until(condition);
  }

  private static void awaitTrue(Callable<Boolean> condition) {
    PageWait.until(Duration.ofSeconds(10), condition);
  }
}
