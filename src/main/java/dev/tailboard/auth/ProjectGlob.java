package dev.tailboard.auth;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Matches project names against scope globs: {@code *} matches within one path segment, {@code **}
 * across segments, every other character is literal. A glob that is a bare {@code *} matches every
 * project, nested or not, because {@code read:*} is naturally read as "read everything" and
 * surprising anyone who wrote it would be worse than the small inconsistency.
 */
final class ProjectGlob {

  private ProjectGlob() {}

  static boolean anyMatches(List<String> globs, String project) {
    if (project == null) {
      return false;
    }
    for (String glob : globs) {
      if (matches(glob, project)) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(String glob, String project) {
    if (glob == null || project == null) {
      return false;
    }
    if (glob.equals("*")) {
      return true;
    }
    return toPattern(glob).matcher(project).matches();
  }

  private static Pattern toPattern(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c != '*') {
        literal.append(c);
        continue;
      }
      if (literal.length() > 0) {
        regex.append(Pattern.quote(literal.toString()));
        literal.setLength(0);
      }
      if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else {
        regex.append("[^/]*");
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
