package dev.tailboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.ui.PageServlet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The policy allows the pages' inline import maps by hash and nothing else inline: the pages have
 * no other inline script, no event-handler attributes and no {@code javascript:} URLs.
 */
class SecurityHeadersFilterTest {

  private static final Path WEBAPP = Path.of("src/main/webapp");

  /** The pages as served, import map put in. */
  private static List<String> pages() throws IOException {
    String importMap = Files.readString(WEBAPP.resolve("WEB-INF/ui/importmap.json"));
    List<String> pages = new ArrayList<>();
    pages.add(Files.readString(WEBAPP.resolve("index.html")));
    try (Stream<Path> files = Files.list(WEBAPP.resolve("WEB-INF/ui"))) {
      for (Path page : files.filter(p -> p.toString().endsWith(".html")).sorted().toList()) {
        pages.add(PageServlet.render(Files.readString(page), importMap));
      }
    }
    return pages;
  }

  @Test
  void scriptsFromThisOriginAndTheImportMapByItsHash() throws Exception {
    List<String> pages = pages();
    Matcher map =
        Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL)
            .matcher(pages.get(1));
    assertThat(map.find()).isTrue();
    String hash =
        Base64.getEncoder()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(map.group(1).getBytes(StandardCharsets.UTF_8)));

    assertThat(SecurityHeadersFilter.policy(pages))
        .isEqualTo(
            "default-src 'self'; script-src 'self' 'sha256-"
                + hash
                + "'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
                + " connect-src 'self'; frame-ancestors 'self'; base-uri 'self';"
                + " form-action 'self'; object-src 'none'");
    assertThat(SecurityHeadersFilter.policy(List.of("<p>no scripts</p>")))
        .contains("script-src 'self'; ");
  }

  @Test
  void pagesHaveNoOtherInlineScript() throws IOException {
    Pattern inline = Pattern.compile("<script(?![^>]*\\bsrc=)(?! type=\"importmap\")[^>]*>");
    Pattern handler = Pattern.compile("\\son[a-z]+\\s*=|javascript:", Pattern.CASE_INSENSITIVE);
    for (String page : pages()) {
      assertThat(inline.matcher(page).find()).as(page).isFalse();
      assertThat(handler.matcher(page).find()).as(page).isFalse();
    }
  }
}
