package dev.tailboard.store;

/**
 * The result of {@link EventStore#createBuild}: the build, and whether this call created it ({@code
 * false}: an earlier request with the same idempotency key did, and {@code build} is that build as
 * it is now).
 */
public record Created(Build build, boolean isNew) {}
