/**
 * Leaf utilities every layer shares: the one JSON mapper ({@link dev.tailboard.support.Json}) and
 * the one error format, problem+json ({@link dev.tailboard.support.Problem}, {@link
 * dev.tailboard.support.ProblemException}).
 *
 * <p>Package rule: a leaf. It imports nothing of Tailboard's (libraries only), so any package may
 * use it without making a cycle. See docs/architecture.md.
 */
package dev.tailboard.support;
