/**
 * Secret masking: the values a build registers (its configured secrets, and those a step announces
 * with {@link dev.tailboard.masks.AddMask ::add-mask::}) are replaced by {@code ***} in every log
 * line before it is stored or streamed. Masking happens once, at ingestion, because a stored line
 * is served to every viewer, search and export afterwards, and none of those may see a secret.
 *
 * <p>{@link dev.tailboard.masks.MaskValues} decides which values may be registered, {@link
 * dev.tailboard.masks.MaskForms} which spellings of a value are searched for (raw, base64, URL,
 * JSON), and {@link dev.tailboard.masks.Masker} finds all of them in one pass per line with an
 * Aho–Corasick automaton built once per set of values.
 *
 * <p>Package rule: a leaf, a pure library: it imports nothing of Tailboard's. See
 * docs/architecture.md.
 */
package dev.tailboard.masks;
