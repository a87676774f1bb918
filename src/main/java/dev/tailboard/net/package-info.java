/**
 * The bytes' way to a client's socket for long-lived responses (SSE streams, long-polls): a servlet
 * filter puts each such response on non-blocking output ({@link dev.tailboard.net.ClientOutput}),
 * so no thread ever waits on a client; {@link dev.tailboard.net.ClientOutputs} owns them all, cuts
 * the ones stalled past the write deadline and counts connections per client address.
 *
 * <p>Package rule: used by the features; it imports only the leaves {@code config} and {@code
 * metrics}. See docs/architecture.md.
 */
package dev.tailboard.net;
