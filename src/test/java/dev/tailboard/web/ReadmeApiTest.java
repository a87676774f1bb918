package dev.tailboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.config.Setting;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's API table and the configuration table ({@code docs/configuration.md}) are checked
 * against the code, so they cannot drift.
 */
class ReadmeApiTest {

  private static final Map<Class<? extends Annotation>, String> VERBS =
      Map.of(GET.class, "GET", POST.class, "POST", PUT.class, "PUT", DELETE.class, "DELETE");
  private static final Pattern API_ROW =
      Pattern.compile("^\\| (GET|POST|PUT|DELETE) \\| (/api\\S*) \\|", Pattern.MULTILINE);
  private static final Pattern CONFIG_ROW =
      Pattern.compile("^\\| ([a-zA-Z.]+) \\| ", Pattern.MULTILINE);

  @Test
  void apiTableListsExactlyTheRealRoutes() throws Exception {
    Set<String> documented = new TreeSet<>();
    Matcher m = API_ROW.matcher(readme());
    while (m.find()) {
      documented.add(m.group(1) + " " + m.group(2));
    }
    assertThat(documented).isEqualTo(routes());
  }

  @Test
  void configurationTableListsEverySetting() throws IOException {
    Set<String> documented = new TreeSet<>();
    Matcher m = CONFIG_ROW.matcher(Files.readString(Paths.get("docs/configuration.md")));
    while (m.find()) {
      documented.add(m.group(1));
    }
    for (Setting s : Setting.values()) {
      assertThat(documented).as("docs/configuration.md table").contains(s.key());
    }
  }

  private static String readme() throws IOException {
    return Files.readString(Paths.get("README.md"));
  }

  private static Set<String> routes() throws Exception {
    Set<String> routes = new TreeSet<>();
    java.nio.file.Path classes = Paths.get("target/classes");
    List<String> names;
    try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
      names =
          files
              .map(p -> classes.relativize(p).toString())
              .filter(p -> p.endsWith(".class") && !p.contains("$"))
              .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.'))
              .toList();
    }
    for (String name : names) {
      Class<?> type = Class.forName(name, false, ReadmeApiTest.class.getClassLoader());
      Path root = type.getAnnotation(Path.class);
      if (root == null) {
        continue;
      }
      for (Method method : type.getMethods()) {
        for (Map.Entry<Class<? extends Annotation>, String> verb : VERBS.entrySet()) {
          if (method.isAnnotationPresent(verb.getKey())) {
            Path sub = method.getAnnotation(Path.class);
            String path = "/api/" + root.value() + "/" + (sub == null ? "" : sub.value());
            path = path.replaceAll("/+", "/").replaceAll("/$", "");
            routes.add(verb.getValue() + " " + path);
          }
        }
      }
    }
    return routes;
  }
}
