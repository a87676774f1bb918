package dev.tailboard.support;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail, the one error format of the HTTP API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail) {

  public static final String MEDIA_TYPE = "application/problem+json";
}
