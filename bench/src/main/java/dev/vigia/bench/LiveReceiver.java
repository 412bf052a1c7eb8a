package dev.vigia.bench;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One open stream or bridge socket of the fan-out bench: reads each state change it receives
 * (org, seq, to, at) without a JSON parser, so it costs the client little, and keeps per org the
 * first and last seq and how many arrived. Runs on the client's single event loop.
 */
final class LiveReceiver {

  /** First seq, last seq and count received, per org. */
  final Map<String, long[]> byOrg = new HashMap<>();
  /** The orgs this receiver follows; null: every org (an admin's stream). */
  final List<String> follows;
  final Latencies latencies;
  /** The window (epoch µs of {@code at}) whose changes count: after the warm-up. */
  private final long[] window;
  /** Changes of the window received. */
  long counted;
  private final BiConsumer<String, String> onChange;
  private final StringBuilder pending = new StringBuilder();
  long outOfOrder;
  boolean closed;

  /**
   * {@code onChange} gets (org, to) of every change, for the fault injector's view of which
   * orgs are connected; null when this receiver does not report.
   */
  LiveReceiver(List<String> follows, Latencies latencies, long[] window,
      BiConsumer<String, String> onChange) {
    this.follows = follows;
    this.latencies = latencies;
    this.window = window;
    this.onChange = onChange;
  }

  /** A chunk of an SSE response: events end with a blank line and may span chunks. */
  void sseChunk(String chunk) {
    pending.append(chunk);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      int data = pending.indexOf("data: ");
      if (data >= 0 && data < end) {
        change(pending.substring(data + 6, end));
      }
      pending.delete(0, end + 2);
    }
  }

  /** A text frame of the bridge: {@code {"type":"rec","address":…,"body":{…}}}. */
  void bridgeFrame(String frame) {
    if (frame.startsWith("{\"type\":\"rec\"")) {
      change(frame.substring(frame.indexOf("\"body\":") + 7));
    }
  }

  private void change(String json) {
    long now = nowMicros();
    String org = field(json, "\"org\":\"", '"');
    long seq = Long.parseLong(field(json, "\"seq\":", '}').trim());
    long at = micros(field(json, "\"at\":\"", '"'));
    if (at >= window[0] && at < window[1]) {
      latencies.add(now - at);
      counted++;
    }
    long[] s = byOrg.get(org);
    if (s == null) {
      byOrg.put(org, new long[] {seq, seq, 1});
    } else {
      if (seq <= s[1]) {
        outOfOrder++;
      }
      s[1] = Math.max(s[1], seq);
      s[2]++;
    }
    if (onChange != null) {
      onChange.accept(org, field(json, "\"to\":\"", '"'));
    }
  }

  private static String field(String json, String key, char end) {
    int from = json.indexOf(key) + key.length();
    int to = json.indexOf(end, from);
    return json.substring(from, to < 0 ? json.length() : to);
  }

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  /**
   * {@code 2026-01-01T10:00:00.123456Z} in epoch microseconds; the date and hour are parsed once
   * and cached, the rest by hand ({@link Instant#parse} costs a microsecond a change).
   */
  private String cachedHour = "";
  private long cachedHourMicros;

  private long micros(String iso) {
    String hour = iso.substring(0, 13);
    if (!hour.equals(cachedHour)) {
      cachedHour = hour;
      Instant i = Instant.parse(hour + ":00:00Z");
      cachedHourMicros = i.getEpochSecond() * 1_000_000;
    }
    long minutes = (iso.charAt(14) - '0') * 10 + (iso.charAt(15) - '0');
    long seconds = (iso.charAt(17) - '0') * 10 + (iso.charAt(18) - '0');
    long fraction = 0;
    int digits = 0;
    for (int i = 20; i < iso.length() && Character.isDigit(iso.charAt(i)) && digits < 6; i++) {
      fraction = fraction * 10 + (iso.charAt(i) - '0');
      digits++;
    }
    for (; digits < 6; digits++) {
      fraction *= 10;
    }
    return cachedHourMicros + (minutes * 60 + seconds) * 1_000_000 + fraction;
  }
}
