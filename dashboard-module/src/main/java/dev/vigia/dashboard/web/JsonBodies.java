package dev.vigia.dashboard.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Reading request bodies: malformed JSON and fields of the wrong type become 400s naming them. */
public final class JsonBodies {

  private JsonBodies() {}

  /** The body as a JSON object; an empty body is {@code {}}. */
  public static JsonObject object(RoutingContext ctx) {
    Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
    if (buffer == null || buffer.length() == 0 || buffer.toString().isBlank()) {
      return new JsonObject();
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(buffer);
    } catch (DecodeException e) {
      throw ApiException.badRequest("malformed_json", "the body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject json)) {
      throw ApiException.badRequest("malformed_json", "the body must be a JSON object");
    }
    return json;
  }

  public static String string(JsonObject body, String field, boolean required, int maxLength) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        throw ApiException.invalidField(field, "is required");
      }
      return null;
    }
    if (!(value instanceof String s)) {
      throw ApiException.invalidField(field, "must be a string");
    }
    if (required && s.isEmpty()) {
      throw ApiException.invalidField(field, "must not be empty");
    }
    if (s.length() > maxLength) {
      throw ApiException.invalidField(field, "must have at most " + maxLength + " characters");
    }
    return s;
  }

  public static boolean bool(JsonObject body, String field, boolean fallback) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw ApiException.invalidField(field, "must be true or false");
    }
    return b;
  }

  public static Integer integer(JsonObject body, String field, int min, int max) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    String digits = wholeNumber(value);
    try {
      int n = digits == null ? Integer.MIN_VALUE : Integer.parseInt(digits);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw ApiException.invalidField(field, "must be a whole number from " + min + " to " + max);
  }

  /** A whole JSON number as its decimal text, or null when {@code value} is not one. */
  public static String wholeNumber(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof BigInteger) {
      return value.toString();
    }
    if (value instanceof Number n) {
      try {
        return new BigDecimal(n.toString()).toBigIntegerExact().toString();
      } catch (ArithmeticException | NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  public static List<String> strings(JsonObject body, String field, int maxItems, int maxLength) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.size() > maxItems) {
      throw ApiException.invalidField(field, "must be a list of at most " + maxItems + " strings");
    }
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s) || s.length() > maxLength) {
        throw ApiException.invalidField(field,
            "must be a list of strings of at most " + maxLength + " characters");
      }
      out.add(s);
    }
    return out;
  }
}
