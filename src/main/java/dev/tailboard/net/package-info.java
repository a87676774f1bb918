/**
 * The bytes' way to a client's socket for long-lived responses (SSE streams, long-polls): a servlet
 * filter puts each such response on non-blocking output ({@link dev.tailboard.net.ClientOutput}),
 * so no thread ever waits on a client; {@link dev.tailboard.net.ClientOutputs} owns them all, cuts
 * the ones stalled past the write deadline and counts connections per client address.
 */
package dev.tailboard.net;
