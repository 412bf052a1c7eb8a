package dev.vigia.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;

/**
 * The one JSON mapping of Vigía: Vert.x's {@link DatabindCodec} mapper, configured once, so the
 * same record shape serves the bus, the HTTP API, the journal and the bridge.
 */
public final class Json {

  private static final ObjectMapper MAPPER = configure(DatabindCodec.mapper());

  private Json() {}

  private static ObjectMapper configure(ObjectMapper mapper) {
    synchronized (mapper) {
      mapper.registerModule(new JavaTimeModule());
      mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
      mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
      mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }
    return mapper;
  }

  /** The shared mapper; configured on first use of this class. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static JsonObject toJson(Object value) {
    return new JsonObject(MAPPER.convertValue(value, java.util.Map.class));
  }

  public static <T> T fromJson(JsonObject json, Class<T> type) {
    return MAPPER.convertValue(json.getMap(), type);
  }
}
