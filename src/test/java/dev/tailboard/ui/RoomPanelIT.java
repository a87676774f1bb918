package dev.tailboard.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.Chromium;
import dev.tailboard.testing.ItServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** The build page's room panel, with two browsers (two profiles) on the same build. */
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
    ana = Chromium.start(Chromium.options(anaProfile));
    bo = Chromium.start(Chromium.options(boProfile));
  }

  @AfterAll
  static void stopBrowsers() throws IOException {
    for (ChromeDriver d : new ChromeDriver[] {ana, bo}) {
      if (d != null) {
        d.quit();
      }
    }
    for (Path p : new Path[] {anaProfile, boProfile}) {
      if (p != null) {
        try (Stream<Path> files = Files.walk(p)) {
          files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
      }
    }
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

  // ---- helpers ----

  private static void open(ChromeDriver d, String path) {
    d.get(ItServer.baseUrl() + path);
  }

  private static void join(ChromeDriver d, String name) {
    awaitTrue(() -> d.findElement(By.id("room-name")).isDisplayed());
    WebElement input = d.findElement(By.id("room-name"));
    assertThat(input.getAttribute("value")).matches("guest-[0-9a-f]{4}");
    input.clear();
    input.sendKeys(name, Keys.ENTER);
    awaitTrue(() -> "live".equals(d.findElement(By.id("room")).getAttribute("data-state")));
    assertThat(d.executeScript("return localStorage.getItem('tailboard.room.name')"))
        .isEqualTo(name);
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
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(condition);
  }
}
