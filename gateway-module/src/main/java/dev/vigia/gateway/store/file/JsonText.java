package dev.vigia.gateway.store.file;

import com.fasterxml.jackson.core.JsonParser;
import dev.vigia.common.Json;
import java.io.IOException;

/** Checks on the text the store is handed: a key's value must be one whole JSON value. */
final class JsonText {

  private JsonText() {}

  /** One complete JSON value and nothing after it (checked by streaming: no tree is built). */
  static boolean isJson(byte[] bytes) {
    try (JsonParser parser = Json.mapper().getFactory().createParser(bytes)) {
      if (parser.nextToken() == null) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  /** A name or reason safe to put in a message or a log line. */
  static String printable(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
    text.codePoints().limit(200)
        .forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }
}
