/**
 * The one configuration reader and the list of every setting with its default.
 *
 * <p>Package rule: a leaf at the bottom of the graph: it imports nothing of Tailboard's. See
 * docs/architecture.md.
 */
package dev.tailboard.config;
