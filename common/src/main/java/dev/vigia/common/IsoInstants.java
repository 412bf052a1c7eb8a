package dev.vigia.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the instants Vigía writes ({@code 2026-12-01T22:42:20.123456Z}, what
 * {@link Instant#toString} and Jackson's {@code ISO_INSTANT} write) without a
 * {@code DateTimeFormatter}: every state change carries one, and the formatter's general parse
 * was a quarter of the monitor's time per change (issue 12). Anything else (an offset, a
 * number, a leap second) goes to Jackson's own {@link InstantDeserializer}, unchanged.
 */
final class IsoInstants {

  private IsoInstants() {}

  /** {@code text} as an instant when it is exactly {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}; else null. */
  static Instant parse(String text) {
    int n = text.length();
    if (n < 20 || n > 30 || text.charAt(4) != '-' || text.charAt(7) != '-'
        || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
        || text.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59
        || second > 59) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      int fraction = n - 21; // between the '.' and the 'Z'
      if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return null;
      }
      nanos = digits(text, 20, fraction);
      if (nanos < 0) {
        return null;
      }
      for (int i = fraction; i < 9; i++) {
        nanos *= 10;
      }
    }
    long days;
    try {
      days = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null; // 31 February: Jackson's reader says what is wrong with it
    }
    return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The decimal number in {@code text[from, from + count)}, or -1 when one is not a digit. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      int d = text.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  /** Jackson's instant reader with the fast path in front. */
  static final class Deserializer extends StdScalarDeserializer<Instant> {
    private static final long serialVersionUID = 1L;

    Deserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.hasToken(JsonToken.VALUE_STRING)) {
        Instant fast = parse(p.getText());
        if (fast != null) {
          return fast;
        }
      }
      return InstantDeserializer.INSTANT.deserialize(p, ctxt);
    }
  }
}
