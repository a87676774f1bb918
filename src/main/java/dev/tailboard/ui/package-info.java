/**
 * The browser UI's server side: mapping page URLs such as {@code /builds/{id}} to the static pages
 * of {@code src/main/webapp}. The pages themselves are plain ES modules served from the WAR.
 *
 * <p>Package rule: transport, at the top of the graph with {@code web}; no other package imports it
 * but {@code web}. See docs/architecture.md.
 */
package dev.tailboard.ui;
