package dev.tailboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.Chromium;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.PageWait;
import dev.tailboard.testing.RoomPanel;
import dev.tailboard.testing.WarServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The build page across a restart of the server: the WAR runs in a server of this test's own
 * ({@link WarServer}), which is stopped and started again on the same port and store while the page
 * stays open.
 */
class ServerRestartIT {

  private static WarServer server;
  private static ChromeDriver driver;
  private static Path profile;

  @BeforeAll
  static void start() throws IOException {
    server = WarServer.start();
    profile = Chromium.newProfile();
    driver = Chromium.start(Chromium.options(profile));
  }

  @AfterAll
  static void stop() throws IOException, InterruptedException {
    Chromium.quit(Arrays.asList(driver), Arrays.asList(profile));
    if (server != null) {
      server.close();
    }
  }

  @Test
  void thePageResumesAfterARestartAndShowsEveryLineOnce() throws Exception {
    Api api = new Api(server.baseUrl(), ItServer.publisher());
    long id = api.createBuild("ui/restart");
    api.append(id, Api.lines("before", 1, 40));
    driver.get(server.baseUrl() + "/builds/" + id);
    awaitTrue(() -> "live".equals(badge()) && text(40).equals("before-40"));
    RoomPanel.join(driver, "ana");
    awaitTrue(() -> "live".equals(roomState()));
    chat("said before the restart");

    server.stop();
    awaitTrue(() -> "reconnecting".equals(badge()) && "reconnecting".equals(roomState()));

    server.restart();
    api.append(id, Api.lines("after", 41, 40));
    awaitTrue(() -> "live".equals(badge()) && lineCount() == 80 && text(80).equals("after-80"));

    // The room came back too (resuming its session): each chat shows once, old and new.
    awaitTrue(() -> "live".equals(roomState()));
    chat("said after the restart");
    assertThat(chats()).containsExactly("said before the restart", "said after the restart");

    // Every line once, in order, numbered as the server numbered it.
    List<String> shown =
        driver.findElements(By.cssSelector("#log .line .txt")).stream()
            .map(WebElement::getText)
            .toList();
    List<String> expected =
        Stream.concat(
                IntStream.rangeClosed(1, 40).mapToObj(i -> "before-" + i),
                IntStream.rangeClosed(41, 80).mapToObj(i -> "after-" + i))
            .toList();
    assertThat(shown).isEqualTo(expected);
    api.status(id, "passed");
    awaitTrue(() -> "finished".equals(badge()));
    assertThat(lineCount()).isEqualTo(80);
  }

  private static String roomState() {
    return driver.findElement(By.id("room")).getAttribute("data-state");
  }

  private static void chat(String text) {
    int before = chats().size();
    driver.findElement(By.id("room-text")).sendKeys(text, Keys.ENTER);
    awaitTrue(
        () ->
            chats().size() == before + 1
                && driver.findElements(By.cssSelector("#room-chat .pending")).isEmpty());
  }

  private static List<String> chats() {
    return driver.findElements(By.cssSelector("#room-chat .room-text")).stream()
        .map(WebElement::getText)
        .toList();
  }

  private static String badge() {
    return driver.findElement(By.id("connection")).getText();
  }

  private static String text(int n) {
    return driver.findElement(By.id("L" + n)).findElement(By.className("txt")).getText();
  }

  private static int lineCount() {
    return ((Number) driver.executeScript("return document.querySelectorAll('#log .line').length"))
        .intValue();
  }

  private static void awaitTrue(java.util.concurrent.Callable<Boolean> condition) {
    PageWait.until(Duration.ofSeconds(20), condition);
  }
}
