package dev.tailboard.store;

/** The body of {@code POST /api/builds}. */
public record NewBuild(String project, String title, String ref, String commit, String url) {}
