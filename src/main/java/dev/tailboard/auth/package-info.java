/**
 * Who may do what: HS256 bearer tokens (header, cookie or, when enabled, query parameter), the
 * {@link dev.tailboard.auth.Caller} they stand for, the checks resources make through {@link
 * dev.tailboard.auth.Access}, the token and session endpoints, and the origin policy shared by CORS
 * and the WebSocket handshake.
 *
 * <p>Package rule: used by the features and the transport; it imports only the leaves {@code
 * config} and {@code support}. See docs/architecture.md.
 */
package dev.tailboard.auth;
