package dev.vigia.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import java.time.Instant;

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
      // registered after JavaTimeModule, so it comes first: instants as ISO text, without the
      // general DateTimeFormatter (every state change, record and journal line carries one)
      mapper.registerModule(new SimpleModule("vigia-instants")
          .addSerializer(Instant.class, new IsoInstants.Serializer())
          .addDeserializer(Instant.class, new IsoInstants.Deserializer()));
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

  /**
   * {@code value} as JSON text in a buffer: what an event published to several listeners carries,
   * encoded once for all of them (a {@link JsonObject} would be converted to a map here and
   * copied for each listener, and every listener would convert it back).
   */
  public static Buffer toBuffer(Object value) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot be written as JSON: " + value.getClass(), e);
    }
  }

  /**
   * A bus message's body as {@code type}: JSON text in a buffer ({@link #toBuffer}) or a
   * {@link JsonObject} of the same shape. Fails with an unchecked exception when it is neither.
   */
  public static <T> T fromBody(Object body, Class<T> type) {
    if (body instanceof JsonObject json) {
      return fromJson(json, type);
    }
    if (body instanceof Buffer buffer) {
      try {
        return MAPPER.readValue(buffer.getBytes(), type);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getMessage(),
            e);
      }
    }
    throw new IllegalArgumentException("not a " + type.getSimpleName() + ": "
        + (body == null ? "null" : body.getClass().getSimpleName()));
  }
}
