/**
 * Durable storage: the ports {@link dev.tailboard.store.EventStore} and {@link
 * dev.tailboard.store.RoomStore}, the records they speak in (builds and their steps, stored events
 * and log chunks, room messages and documents), their JDBC implementations (embedded H2 by default,
 * or PostgreSQL), the connection pool, the Flyway migrations and the cluster bus.
 *
 * <p>Package rule: every store port lives here, beside its implementation, with every record it
 * takes or returns; so {@code store} imports no feature and no transport, only {@code config} and
 * {@code support}. Features ({@code builds}, {@code rooms}) and {@code hub} import it. See
 * docs/architecture.md.
 */
package dev.tailboard.store;
