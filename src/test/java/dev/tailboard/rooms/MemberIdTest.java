package dev.tailboard.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A member's public id and its resume secret ({@link Room#memberId}, {@link Room#newSecret}). */
class MemberIdTest {

  @Test
  void secretsAreRandom128BitBase64Url() {
    Set<String> secrets = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String s = Room.newSecret();
      assertThat(s).matches("[A-Za-z0-9_-]{22}");
      secrets.add(s);
    }
    assertThat(secrets).hasSize(1000);
  }

  @Test
  void theIdFollowsFromRoomSubjectAndSecretAndGivesNoneOfThemAway() {
    String secret = Room.newSecret();
    String id = Room.memberId("team", "ana", secret);
    assertThat(id).matches("[A-Za-z0-9_-]{16}").doesNotContain(secret);
    // any node derives the same id from the same secret
    assertThat(Room.memberId("team", "ana", secret)).isEqualTo(id);
    assertThat(Room.memberId("team", "eve", secret)).isNotEqualTo(id);
    assertThat(Room.memberId("other", "ana", secret)).isNotEqualTo(id);
    assertThat(Room.memberId("team", "ana", Room.newSecret())).isNotEqualTo(id);
  }

  @Test
  void aMalformedSecretGivesNoId() {
    assertThat(Room.memberId("team", "ana", "0")).isNull();
    assertThat(Room.memberId("team", "ana", Room.memberId("team", "ana", Room.newSecret())))
        .as("a public id is not a secret")
        .isNull();
    assertThat(Room.memberId("team", "ana", "x".repeat(21) + "!")).isNull();
  }
}
