package dev.tailboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.Chromium;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.PageWait;
import dev.tailboard.testing.RoomPanel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** The room panel, with two browsers (two profiles) on the same build or free room. */
class RoomPanelIT {

  private static ChromeDriver ana;
  private static ChromeDriver bo;
  private static Path anaProfile;
  private static Path boProfile;
  private final Api api = Api.publisher();

  @BeforeAll
  static void startBrowsers() throws IOException {
    assertThat(new File(Chromium.BINARY)).isFile();
    assertThat(new File(Chromium.DRIVER)).isFile();
    anaProfile = Chromium.newProfile();
    boProfile = Chromium.newProfile();
    ana = Chromium.start(Chromium.withConsole(Chromium.options(anaProfile)));
    bo = Chromium.start(Chromium.withConsole(Chromium.options(boProfile)));
  }

  /** CodeMirror, the room socket and the import map all work under the page's CSP. */
  @AfterEach
  void checkNoCspViolation() {
    assertThat(Chromium.cspViolations(Chromium.console(ana))).isEmpty();
    assertThat(Chromium.cspViolations(Chromium.console(bo))).isEmpty();
  }

  @AfterAll
  static void stopBrowsers() throws IOException {
    Chromium.quit(Arrays.asList(ana, bo), Arrays.asList(anaProfile, boProfile));
  }

  @Test
  void twoBrowsersSeeEachOtherChatAndPointAtLines() {
    long id = api.createBuild("ui-room/" + UUID.randomUUID().toString().substring(0, 8));
    api.append(id, Api.lines("line", 1, 300));

    // ana reads near the top, bo follows the tail: line 20 is not even rendered for bo.
    open(ana, "/builds/" + id + "#L10");
    open(bo, "/builds/" + id);
    join(ana, "ana");
    join(bo, "bo");

    // Each sees both members, in their colours.
    for (ChromeDriver d : List.of(ana, bo)) {
      awaitTrue(() -> members(d).containsAll(List.of("ana", "bo")));
      WebElement other = memberNamed(d, d == ana ? "bo" : "ana");
      assertThat(other.getCssValue("color")).startsWith("rgb");
    }
    assertThat(members(ana)).hasSize(2);

    // A chat from ana shows for bo exactly once (and for ana once too).
    String text = "flaky again " + UUID.randomUUID();
    WebElement say = ana.findElement(By.id("room-text"));
    say.sendKeys(text, Keys.ENTER);
    for (ChromeDriver d : List.of(bo, ana)) {
      awaitTrue(() -> chatCount(d, text) == 1 && !pending(d));
    }
    assertThat(chatCount(bo, text)).isEqualTo(1);
    assertThat(bo.findElement(By.cssSelector("#room-chat .room-message .room-from")).getText())
        .isEqualTo("ana");

    // ana clicks line 20's number: bo's page scrolls there and marks it in ana's colour.
    awaitTrue(() -> !ana.findElements(By.id("L20")).isEmpty());
    ana.findElement(By.id("L20")).findElement(By.className("ln")).click();
    awaitTrue(() -> ana.getCurrentUrl().endsWith("#L20"));
    awaitTrue(
        () ->
            bo.findElement(By.id("L20")).getAttribute("class").contains("pointed")
                && inViewport(bo, 20));
    String colour =
        (String)
            bo.executeScript(
                "return document.getElementById('L20').style.getPropertyValue('--point')");
    assertThat(colour).isNotBlank();
    // ana's own page is not marked: the point goes to the others.
    assertThat(ana.findElements(By.cssSelector(".line.pointed"))).isEmpty();
    api.status(id, "passed");
  }

  @Test
  void twoBrowsersCoEditTheNotesAndConverge() throws Exception {
    String room = "notes-" + UUID.randomUUID().toString().substring(0, 8);
    open(ana, "/rooms/" + room);
    open(bo, "/rooms/" + room);
    join(ana, "ana");
    join(bo, "bo");
    awaitTrue(() -> !ana.findElements(By.cssSelector("#room-notes .cm-content")).isEmpty());
    awaitTrue(() -> !bo.findElements(By.cssSelector("#room-notes .cm-content")).isEmpty());

    // An empty first line for ana, a second for bo; then both type at once, each on their own
    // line, so pushes cross and one side's changes are rebased over the other's.
    ana.findElement(By.cssSelector("#room-notes .cm-content")).sendKeys(Keys.ENTER);
    awaitTrue(() -> notes(bo).equals("\n"));
    List<String> anaWords = words("ana", 12);
    List<String> boWords = words("bo", 12);
    ExecutorService typists = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> typing =
          List.of(
              typists.submit(() -> type(ana, Keys.HOME, anaWords)),
              typists.submit(() -> type(bo, Keys.END, boWords)));
      for (Future<?> f : typing) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      typists.shutdownNow();
    }

    // They converge on one text holding every word of both, each on its line.
    awaitTrue(() -> notes(ana).equals(notes(bo)));
    String text = notes(ana);
    String[] lines = text.split("\n", -1);
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).contains(anaWords).doesNotContain("bo");
    assertThat(lines[1]).contains(boWords).doesNotContain("ana");

    // ana sees bo's cursor, labelled with bo's name in bo's colour.
    bo.findElement(By.cssSelector("#room-notes .cm-content")).sendKeys(Keys.HOME);
    awaitTrue(
        () ->
            ana.findElements(By.cssSelector("#room-notes .cm-remote-name")).stream()
                .anyMatch(e -> e.getText().equals("bo")));

    // The notes are the room's: a page opened afterwards gets the same text.
    bo.navigate().refresh();
    awaitTrue(() -> notes(bo).equals(text));
  }

  @Test
  void aWatcherSeesTheRoomLiveOnArrivalAndSignsInToChat() throws IOException {
    String room = "watch-" + UUID.randomUUID().toString().substring(0, 8);
    open(ana, "/rooms/" + room);
    join(ana, "ana");
    Path eveProfile = Chromium.newProfile();
    ChromeDriver eve = Chromium.start(Chromium.options(eveProfile));
    try {
      // eve is not signed in: without a click she watches, and sees ana at once
      open(eve, "/rooms/" + room);
      awaitTrue(
          () ->
              "live".equals(eve.findElement(By.id("room")).getAttribute("data-state"))
                  && "watcher".equals(eve.findElement(By.id("room")).getAttribute("data-role")));
      awaitTrue(() -> members(eve).equals(List.of("ana")));
      assertThat(eve.findElement(By.id("room-signin-link")).isDisplayed()).isTrue();
      assertThat(eve.findElement(By.id("room-signin-link")).getText()).isEqualTo("Sign in to chat");
      assertThat(eve.findElement(By.id("room-text")).isDisplayed()).isFalse();
      awaitTrue(() -> !eve.findElements(By.cssSelector("#room-notes .cm-content")).isEmpty());
      assertThat(
              eve.findElement(By.cssSelector("#room-notes .cm-content"))
                  .getAttribute("contenteditable"))
          .isEqualTo("false");
      // a watcher is no member: ana's list is still ana alone
      assertThat(members(ana)).containsExactly("ana");

      // what ana writes reaches eve live: chat and notes
      String text = "watch this " + UUID.randomUUID();
      ana.findElement(By.id("room-text")).sendKeys(text, Keys.ENTER);
      awaitTrue(() -> chatCount(eve, text) == 1);
      awaitTrue(() -> !ana.findElements(By.cssSelector("#room-notes .cm-content")).isEmpty());
      ana.findElement(By.cssSelector("#room-notes .cm-content")).sendKeys("ana's note");
      awaitTrue(() -> notes(eve).equals("ana's note"));

      // eve signs in from the panel, becomes a member named by her token, and Enter sends
      signIn(eve, "eve");
      awaitTrue(() -> "member".equals(eve.findElement(By.id("room")).getAttribute("data-role")));
      awaitTrue(() -> members(ana).containsAll(List.of("ana", "eve")));
      String hello = "hello from eve " + UUID.randomUUID();
      eve.findElement(By.id("room-text")).sendKeys(hello, Keys.ENTER);
      awaitTrue(() -> chatCount(ana, hello) == 1);
      assertThat(
              ana.findElements(By.cssSelector("#room-chat .room-message")).stream()
                  .filter(m -> m.getText().contains(hello))
                  .findFirst()
                  .orElseThrow()
                  .findElement(By.className("room-from"))
                  .getText())
          .isEqualTo("eve");
    } finally {
      Chromium.quit(List.of(eve), List.of(eveProfile));
    }
  }

  // ---- helpers ----

  private static List<String> words(String who, int n) {
    return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> who + i + "x").toList();
  }

  /** Types each word and a space at the notes' start ({@code HOME}) or end ({@code END}). */
  private static void type(ChromeDriver d, Keys where, List<String> words) {
    WebElement editor = d.findElement(By.cssSelector("#room-notes .cm-content"));
    for (String w : words) {
      editor.sendKeys(Keys.chord(Keys.CONTROL, where), w + " ");
    }
  }

  /** The notes' text as the editor shows it, without the other members' cursor labels. */
  private static String notes(ChromeDriver d) {
    return (String)
        d.executeScript(
            "return [...document.querySelectorAll('#room-notes .cm-line')].map(l => {"
                + " const c = l.cloneNode(true);"
                + " c.querySelectorAll('.cm-remote-caret, .cm-placeholder').forEach(x => x.remove());"
                + " return c.textContent; }).join('\\n');");
  }

  private static void open(ChromeDriver d, String path) {
    d.get(ItServer.baseUrl() + path);
  }

  private static void join(ChromeDriver d, String name) {
    RoomPanel.join(d, name);
    assertThat(d.findElement(By.id("room-text")).isDisplayed()).isTrue();
  }

  private static void signIn(ChromeDriver d, String name) {
    RoomPanel.signIn(d, name);
  }

  private static List<String> members(ChromeDriver d) {
    return d.findElements(By.cssSelector("#room-members .room-member")).stream()
        .map(WebElement::getText)
        .toList();
  }

  private static WebElement memberNamed(ChromeDriver d, String name) {
    return d.findElements(By.cssSelector("#room-members .room-member")).stream()
        .filter(e -> e.getText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static long chatCount(ChromeDriver d, String text) {
    return d.findElements(By.cssSelector("#room-chat .room-message .room-text")).stream()
        .filter(e -> e.getText().equals(text))
        .count();
  }

  private static boolean pending(ChromeDriver d) {
    return !d.findElements(By.cssSelector("#room-chat .room-message.pending")).isEmpty();
  }

  private static boolean inViewport(ChromeDriver d, int n) {
    return (Boolean)
        d.executeScript(
            "const r = document.getElementById('L' + arguments[0]).getBoundingClientRect();"
                + "return r.top >= 0 && r.bottom <= window.innerHeight;",
            n);
  }

  private static void awaitTrue(Callable<Boolean> condition) {
    PageWait.until(Duration.ofSeconds(10), condition);
  }
}
