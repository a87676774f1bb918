package dev.tailboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The import map ({@code WEB-INF/ui/importmap.json}) names files the WAR really serves: each WebJar
 * path exists in a jar on the classpath (so a version bump in pom.xml that forgets the map fails
 * here, not in a browser), every vendored module a page imports exists, and every page has the map
 * put in before its first module script.
 */
class ImportMapTest {

  private static final Path WEBAPP = Path.of("src/main/webapp");

  private static List<Path> pages() throws IOException {
    try (Stream<Path> files = Files.list(WEBAPP.resolve("WEB-INF/ui"))) {
      return files.filter(p -> p.toString().endsWith(".html")).sorted().toList();
    }
  }

  @Test
  void everyMappedModuleIsInAWebJar() throws IOException {
    JsonNode imports =
        new ObjectMapper()
            .readTree(Files.readString(WEBAPP.resolve("WEB-INF/ui/importmap.json")))
            .get("imports");
    assertThat(imports.has("@codemirror/state") && imports.has("@codemirror/view")).isTrue();
    imports
        .fields()
        .forEachRemaining(
            e -> {
              String url = e.getValue().asText();
              assertThat(url).as(e.getKey()).startsWith("../webjars/");
              String resource =
                  "META-INF/resources/webjars/" + url.substring("../webjars/".length());
              assertThat(getClass().getClassLoader().getResource(resource))
                  .as("%s: %s", e.getKey(), resource)
                  .isNotNull();
            });
  }

  @Test
  void everyPageGetsTheImportMapBeforeItsModules() throws IOException {
    List<Path> pages = pages();
    assertThat(pages).hasSizeGreaterThanOrEqualTo(2);
    for (Path page : pages) {
      String html = PageServlet.render(Files.readString(page), "{}\n");
      int map = html.indexOf("<script type=\"importmap\">\n{}\n</script>");
      int module = html.indexOf("<script type=\"module\"");
      assertThat(map).as(page.toString()).isNotNegative().isLessThan(module);
    }
  }

  @Test
  void vendoredModulesExist() throws IOException {
    Pattern vendored = Pattern.compile("from '\\.\\./(vendor/[^']+)'");
    try (Stream<Path> files = Files.list(WEBAPP.resolve("app"))) {
      for (Path js : files.filter(p -> p.toString().endsWith(".js")).toList()) {
        Matcher m = vendored.matcher(Files.readString(js));
        while (m.find()) {
          assertThat(WEBAPP.resolve(m.group(1))).as(js.toString()).isRegularFile();
        }
      }
    }
  }
}
