package dev.tailboard.builds;

import dev.tailboard.store.Annotation;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub Actions' annotation workflow commands: {@code ::error file=a.js,line=3,title=T::message},
 * likewise {@code ::warning} and {@code ::notice}, parameters optional (docs/failures.md,
 * "Annotations"). Property values are unescaped as GitHub does ({@code %25 %0D %0A %3A %2C}), the
 * message too ({@code %25 %0D %0A}).
 */
public final class WorkflowCommands {

  private static final Pattern COMMAND =
      Pattern.compile("^\\s*::(error|warning|notice)(?:\\s+([^:]*?))?\\s*::(.*)$", Pattern.DOTALL);

  private WorkflowCommands() {}

  /**
   * The annotation {@code line} (as stored, escapes and all) holds at stored line {@code logLine},
   * or null if it holds none.
   */
  public static Annotation annotation(String line, long logLine) {
    if (line.indexOf("::") < 0) {
      return null;
    }
    Matcher m = COMMAND.matcher(TerminalText.shown(line));
    if (!m.matches()) {
      return null;
    }
    Map<String, String> props = properties(m.group(2));
    return new Annotation(
        m.group(1),
        unescapeData(m.group(3)),
        props.get("file"),
        number(props.get("line")),
        number(props.getOrDefault("col", props.get("column"))),
        number(props.get("endLine")),
        number(props.getOrDefault("endColumn", props.get("endCol"))),
        props.get("title"),
        logLine);
  }

  private static Map<String, String> properties(String text) {
    Map<String, String> props = new HashMap<>();
    if (text == null || text.isBlank()) {
      return props;
    }
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        String key = pair.substring(0, eq).trim();
        if (!key.isEmpty() && !props.containsKey(key)) {
          props.put(key, unescapeProperty(pair.substring(eq + 1)));
        }
      }
    }
    return props;
  }

  private static Integer number(String value) {
    if (value == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(value.trim());
      return n > 0 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String unescapeData(String text) {
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
  }

  static String unescapeProperty(String text) {
    return text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%");
  }
}
