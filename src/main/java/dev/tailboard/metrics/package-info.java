/** Operating figures: the Micrometer registry behind {@code /api/metrics}. */
package dev.tailboard.metrics;
