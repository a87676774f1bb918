package dev.tailboard.store;

/**
 * The result of {@link EventStore#mutate}: either the mutation just committed, or, for a chunk
 * number already stored, the reply given the first time ({@code mutation} is then null).
 */
public record Outcome(Mutation mutation, String reply) {

  public boolean repeated() {
    return mutation == null;
  }
}
