/**
 * Builds: the HTTP API to create builds and publish their logs, steps and status, the SSE streams
 * and long-poll that follow them, and the rules of a build's life ({@link
 * dev.tailboard.builds.BuildService}).
 *
 * <p>Package rule: a feature. It may import {@code hub}, {@code store}, {@code auth}, {@code net}
 * and the leaves ({@code config}, {@code support}, {@code masks}); never {@code rooms} (which
 * imports it) nor the transport ({@code web}, {@code ui}). What it stores goes through the ports in
 * {@code store} ({@link dev.tailboard.store.EventStore}, and {@link dev.tailboard.store.RoomStore}
 * when retention deletes a build's room). See docs/architecture.md.
 */
package dev.tailboard.builds;
