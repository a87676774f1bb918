/**
 * Operating figures: the Micrometer registry behind {@code /api/metrics}.
 *
 * <p>Package rule: a leaf: it imports nothing of Tailboard's. See docs/architecture.md.
 */
package dev.tailboard.metrics;
