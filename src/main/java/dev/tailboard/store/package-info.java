/**
 * Durable storage: the {@link dev.tailboard.store.EventStore} and room store implementations on
 * JDBC (embedded H2 by default), the connection pool and the Flyway migrations.
 */
package dev.tailboard.store;
