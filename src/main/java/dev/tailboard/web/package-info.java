/**
 * What every feature shares on the web side: the JAX-RS application, the one JSON mapper, the one
 * error format (problem+json), health, metrics and start-up.
 */
package dev.tailboard.web;
