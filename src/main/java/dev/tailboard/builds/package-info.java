/**
 * Builds: the HTTP API to create builds and publish their logs, steps and status, the SSE streams
 * and long-poll that follow them, and the rules of a build's life ({@link
 * dev.tailboard.builds.BuildService}).
 */
package dev.tailboard.builds;
