package dev.tailboard.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven through its chromedriver (never a downloaded browser: Selenium
 * Manager does not run because the driver path is given).
 */
public final class Chromium {

  public static final String BINARY = "/usr/bin/chromium";
  public static final String DRIVER = "/usr/bin/chromedriver";

  private Chromium() {}

  /** Options every run needs, with a fresh profile in {@code profile}, plus {@code extra}. */
  public static ChromeOptions options(Path profile, String... extra) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile,
        "--window-size=1280,860");
    options.addArguments(List.of(extra));
    return options;
  }

  /** {@code options} with the browser console kept for {@link #console}. */
  public static ChromeOptions withConsole(ChromeOptions options) {
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    return options;
  }

  /**
   * The console messages since the last call, printed too. Chromium reports every refusal of the
   * Content-Security-Policy here ("Refused to ... because it violates the following Content
   * Security Policy directive").
   */
  public static List<String> console(ChromeDriver driver) {
    List<String> messages = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      System.out.println("[browser " + e.getLevel() + "] " + e.getMessage());
      messages.add(e.getMessage());
    }
    return messages;
  }

  /** Console messages that report a refusal by the Content-Security-Policy. */
  public static List<String> cspViolations(List<String> console) {
    return console.stream().filter(m -> m.contains("Content Security Policy")).toList();
  }

  public static ChromeDriver start(ChromeOptions options) {
    System.setProperty("webdriver.chrome.driver", DRIVER);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(DRIVER))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  public static Path newProfile() throws IOException {
    return Files.createTempDirectory("tailboard-chromium-");
  }

  /** Quits the browsers (nulls skipped) and deletes their profiles. */
  public static void quit(List<ChromeDriver> drivers, List<Path> profiles) throws IOException {
    for (ChromeDriver d : drivers) {
      if (d != null) {
        d.quit();
      }
    }
    for (Path p : profiles) {
      if (p != null) {
        try (Stream<Path> files = Files.walk(p)) {
          files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
      }
    }
  }
}
