package dev.vigia.gateway.store;

import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * Bytes as Baileys' {@code BufferJSON.replacer} writes them: {@code {"type":"Buffer","data":"<base64>"}}.
 */
public final class BufferJson {

  private BufferJson() {}

  public static JsonObject encode(byte[] bytes) {
    return new JsonObject().put("type", "Buffer").put("data", Base64.getEncoder().encodeToString(bytes));
  }

  /** True for a value that {@code BufferJSON.reviver} turns back into a Buffer. */
  public static boolean isBuffer(Object value) {
    return value instanceof JsonObject json && "Buffer".equals(json.getValue("type"))
        && json.getValue("data") instanceof String;
  }

  public static byte[] decode(JsonObject buffer) {
    if (!isBuffer(buffer)) {
      throw new IllegalArgumentException("not a Baileys Buffer value");
    }
    return Base64.getDecoder().decode(buffer.getString("data"));
  }
}
