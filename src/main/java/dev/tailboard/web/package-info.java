/**
 * The web wiring: the JAX-RS application, the JSON body provider, error pages, security and SSE
 * headers, health and start-up.
 *
 * <p>Package rule: the top of the graph, with {@code ui}. It may import any package; nothing
 * imports it. Utilities that other packages share live in {@code support}, not here. See
 * docs/architecture.md.
 */
package dev.tailboard.web;
