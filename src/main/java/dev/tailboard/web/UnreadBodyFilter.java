package dev.tailboard.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads what is left of a small request body before an error answer goes out. A request refused
 * before its body was read (a 401 on an upload, say) otherwise leaves unread bytes that make the
 * container close the connection; the client, still sending, gets a reset instead of the answer.
 * Bodies larger than {@link #MAX_DRAIN} are left to the container to cut off.
 */
@Provider
public class UnreadBodyFilter implements ContainerResponseFilter {

  static final int MAX_DRAIN = 64 * 1024;

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (response.getStatus() < 400) {
      return;
    }
    try {
      if (!request.hasEntity()) {
        return;
      }
      InputStream body = request.getEntityStream();
      body.readNBytes(MAX_DRAIN);
    } catch (IOException | RuntimeException e) {
      // the client went away or the body was consumed: nothing to drain
    }
  }
}
