package dev.vigia.bench;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/** Latencies in microseconds, kept whole (a few million longs) so percentiles are exact. */
final class Latencies {

  private long[] values = new long[1 << 16];
  private int size;

  void add(long micros) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = micros;
  }

  int count() {
    return size;
  }

  /** p50, p99, max… of what was added, in milliseconds; zeros when nothing was. */
  Summary summary() {
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return new Summary(size, at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999),
        size == 0 ? 0 : sorted[size - 1] / 1000.0);
  }

  private static double at(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1000.0;
  }

  record Summary(long count, double p50, double p99, double p999, double max) {
    JsonObject json() {
      return new JsonObject().put("count", count).put("p50Ms", p50).put("p99Ms", p99)
          .put("p999Ms", p999).put("maxMs", max);
    }
  }
}
