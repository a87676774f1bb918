/** The one configuration reader and the list of every setting with its default. */
package dev.tailboard.config;
