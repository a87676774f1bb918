package dev.tailboard.support;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;

/**
 * The one JSON mapper of the application, shared by JAX-RS, the store and the event hub. Null
 * fields are written (a build summary always has every field); event payloads that leave out absent
 * fields say so with {@code @JsonInclude}.
 */
@ApplicationScoped
public class Json {

  private final ObjectMapper mapper = newMapper();

  private static ObjectMapper newMapper() {
    ObjectMapper mapper =
        new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.getFactory().setCharacterEscapes(new SurrogateEscapes());
    // JAX-RS owns the entity streams: reading or writing a body must not close them.
    mapper.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    mapper.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    return mapper;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  public String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public <T> T read(String json, Class<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
