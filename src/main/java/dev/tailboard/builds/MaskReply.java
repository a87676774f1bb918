package dev.tailboard.builds;

/**
 * The answer to registering secret values: how many were new ({@code registered}), how many the
 * build has ({@code masks}, server-wide ones not counted), and how many stored log events were
 * rewritten to mask them.
 */
public record MaskReply(int registered, int masks, long rewrittenEvents) {}
