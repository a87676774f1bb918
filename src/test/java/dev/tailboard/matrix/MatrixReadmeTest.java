package dev.tailboard.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The container table of {@code docs/deploy.md} (moved there from the README) names every container
 * of the matrix with the version and WAR the matrix deploys ({@code .ci/matrix/containers.sh}), so
 * the two cannot drift apart.
 */
class MatrixReadmeTest {

  private static final Pattern CONTAINER =
      Pattern.compile("^\\s*\"([a-z0-9]+)\\|[^:|]+:[^:|]+:([^:|]+):[^|]+\\|([^|]+)\\|(\\d+)\\|");

  @Test
  void deployTableListsEveryContainerOfTheMatrixWithItsVersionAndWar() throws IOException {
    String deploy = Files.readString(Path.of("docs/deploy.md"));
    int containers = 0;
    for (String line : Files.readAllLines(Path.of(".ci/matrix/containers.sh"))) {
      Matcher m = CONTAINER.matcher(line);
      if (m.find()) {
        containers++;
        String row =
            "| `%s` | %s | `%s` | %s+ |".formatted(m.group(1), m.group(2), m.group(3), m.group(4));
        assertThat(deploy).as("docs/deploy.md row for " + m.group(1)).contains(row);
      }
    }
    assertThat(containers).isGreaterThanOrEqualTo(8);
  }
}
