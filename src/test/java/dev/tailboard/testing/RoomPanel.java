package dev.tailboard.testing;

import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** The room panel (room.js) in a browser: who the page is in its room, and signing in there. */
public final class RoomPanel {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private RoomPanel() {}

  /** {@code member} or {@code watcher} once welcomed, else null. */
  public static String role(ChromeDriver d) {
    return d.findElement(By.id("room")).getAttribute("data-role");
  }

  public static String state(ChromeDriver d) {
    return d.findElement(By.id("room")).getAttribute("data-state");
  }

  /**
   * Makes the page a member of its room as {@code name}: it watches at once; unless its profile is
   * signed in already, it signs in with the panel's "Sign in to chat" (a token of {@code name}
   * reading every project, signed with the IT secret). Waits until it is a live member.
   */
  public static void join(ChromeDriver d, String name) {
    PageWait.until(WAIT, () -> "live".equals(state(d)));
    if ("watcher".equals(role(d))) {
      signIn(d, name);
    }
    PageWait.until(WAIT, () -> "member".equals(role(d)) && "live".equals(state(d)));
    PageWait.until(
        WAIT,
        () ->
            d.findElements(By.cssSelector("#room-members .room-member.you")).stream()
                .anyMatch(e -> e.getText().equals(name)));
  }

  /** Clicks "Sign in to chat" and submits a token of {@code name}. */
  public static void signIn(ChromeDriver d, String name) {
    WebElement link = d.findElement(By.id("room-signin-link"));
    if (!link.isDisplayed()) {
      throw new AssertionError("no \"Sign in to chat\" on the panel");
    }
    link.click();
    PageWait.until(WAIT, () -> d.findElement(By.id("room-token")).isDisplayed());
    d.findElement(By.id("room-token"))
        .sendKeys(ItServer.token(name, "read:**", Duration.ofHours(1)), Keys.ENTER);
  }
}
