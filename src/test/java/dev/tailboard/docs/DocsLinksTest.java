package dev.tailboard.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and {@code docs/*.md} link only to files inside the repository that exist, and every
 * {@code #anchor} they use names a heading of its target (GitHub's heading ids), so moving a
 * section between them cannot leave a dead link. Nothing in them cites a specification outside the
 * repository.
 */
class DocsLinksTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().normalize();
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
  private static final Pattern OUTSIDE = Pattern.compile("SPEC\\.md|SPEC §|\\bshared/");

  @Test
  void everyLinkPointsAtAFileAndHeadingOfTheRepository() throws IOException {
    List<String> broken = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    for (Path doc : documents()) {
      for (String target : links(doc)) {
        if (target.matches("^[a-z]+:.*")) {
          continue; // http:, https:, mailto:
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
        String where = ROOT.relativize(doc) + ": " + target;
        if (!resolved.startsWith(ROOT)) {
          broken.add(where + " (outside the repository)");
        } else if (!Files.exists(resolved)) {
          broken.add(where + " (no such file)");
        } else if (anchor != null && resolved.toString().endsWith(".md")) {
          Set<String> ids = anchors.computeIfAbsent(resolved, DocsLinksTest::headingIds);
          if (!ids.contains(anchor)) {
            broken.add(where + " (no such heading)");
          }
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void nothingCitesASpecificationOutsideTheRepository() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path doc : documents()) {
      List<String> lines = Files.readAllLines(doc);
      for (int i = 0; i < lines.size(); i++) {
        if (OUTSIDE.matcher(lines.get(i)).find()) {
          found.add(ROOT.relativize(doc) + ":" + (i + 1) + ": " + lines.get(i));
        }
      }
    }
    assertThat(found).isEmpty();
  }

  @Test
  void headingIdsFollowGitHub() {
    assertThat(slug("`./mvnw -B verify`")).isEqualTo("mvnw--b-verify");
    assertThat(slug("Collaboration rooms (WebSocket)")).isEqualTo("collaboration-rooms-websocket");
    assertThat(slug("Stalled readers (`BENCH_SCENARIOS=stalled bench/all.sh`)"))
        .isEqualTo("stalled-readers-bench_scenariosstalled-benchallsh");
  }

  private static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  /** The link targets of a Markdown file, outside fenced code blocks and inline code. */
  private static List<String> links(Path doc) throws IOException {
    List<String> targets = new ArrayList<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(doc)) {
      if (line.trim().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
      while (m.find()) {
        targets.add(m.group(1));
      }
    }
    return targets;
  }

  /** The ids GitHub gives a Markdown file's headings, a repeated one with -1, -2 … */
  private static Set<String> headingIds(Path doc) {
    Set<String> ids = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    try {
      for (String line : Files.readAllLines(doc)) {
        if (line.trim().startsWith("```")) {
          fenced = !fenced;
          continue;
        }
        Matcher m = HEADING.matcher(line);
        if (!fenced && m.matches()) {
          String id = slug(m.group(1));
          int n = seen.merge(id, 1, Integer::sum) - 1;
          ids.add(n == 0 ? id : id + "-" + n);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return ids;
  }

  private static String slug(String heading) {
    String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_ -]", "").replace(' ', '-');
  }
}
