/**
 * The browser UI's server side: mapping page URLs such as {@code /builds/{id}} to the static pages
 * of {@code src/main/webapp}. The pages themselves are plain ES modules served from the WAR.
 */
package dev.tailboard.ui;
