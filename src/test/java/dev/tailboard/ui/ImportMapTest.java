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
 * The import map ({@code app/importmap.js}) names files the WAR really serves: each WebJar path
 * exists in a jar on the classpath (so a version bump in pom.xml that forgets the map fails here,
 * not in a browser), every vendored module a page imports exists, and every page that loads a
 * module script loads the import map first.
 */
class ImportMapTest {

  private static final Path WEBAPP = Path.of("src/main/webapp");
  private static final Pattern IMPORTS =
      Pattern.compile("const IMPORTS = (\\{.*?\\});", Pattern.DOTALL);

  @Test
  void everyMappedModuleIsInAWebJar() throws IOException {
    Matcher m = IMPORTS.matcher(Files.readString(WEBAPP.resolve("app/importmap.js")));
    assertThat(m.find()).isTrue();
    JsonNode imports = new ObjectMapper().readTree(m.group(1));
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
  void pagesWithCodeMirrorLoadTheImportMapFirst() throws IOException {
    List<Path> pages;
    try (Stream<Path> files = Files.list(WEBAPP.resolve("WEB-INF/ui"))) {
      pages = files.filter(p -> p.toString().endsWith(".html")).sorted().toList();
    }
    assertThat(pages).hasSizeGreaterThanOrEqualTo(2);
    for (Path page : pages) {
      String html = Files.readString(page);
      int map = html.indexOf("<script src=\"../app/importmap.js\"></script>");
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
