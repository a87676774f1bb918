/**
 * Collaboration rooms over WebSocket: presence, chat, shared notes, pointers; a build's room also
 * shows the build's step and status changes, relayed from the hub.
 *
 * <p>Package rule: a feature. It may import {@code builds} (one way: {@code builds} never imports
 * {@code rooms}), {@code hub}, {@code store}, {@code auth}, {@code net} and the leaves ({@code
 * config}, {@code support}, {@code masks}, {@code metrics}); only the transport ({@code web})
 * imports it. Its durable part is the port {@link dev.tailboard.store.RoomStore}, in {@code store}
 * like every store port. See docs/architecture.md.
 */
package dev.tailboard.rooms;
