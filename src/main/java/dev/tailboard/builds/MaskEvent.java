package dev.tailboard.builds;

/**
 * The data of a {@code mask} event: {@code values} secret values were registered late, and the
 * stored lines {@code first}..{@code last} were masked; a page that shows any of them fetches them
 * again.
 */
public record MaskEvent(int values, long first, long last) {}
