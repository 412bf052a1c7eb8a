package dev.vigia.monitor.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReconnectBackoffTest {

  private final ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofSeconds(1),
      Duration.ofMinutes(5), new SplittableRandom(42));

  @Test
  void theCeilingDoublesFromOneSecondUpToFiveMinutes() {
    assertEquals(Duration.ofSeconds(1), backoff.ceiling(1));
    assertEquals(Duration.ofSeconds(2), backoff.ceiling(2));
    assertEquals(Duration.ofSeconds(256), backoff.ceiling(9));
    assertEquals(Duration.ofMinutes(5), backoff.ceiling(10));
    assertEquals(Duration.ofMinutes(5), backoff.ceiling(63));
    assertEquals(Duration.ofMinutes(5), backoff.ceiling(Integer.MAX_VALUE));
  }

  @Test
  void fullJitterSpreadsWaitsOverTheWholeRange() {
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2000; i++) {
      long ms = backoff.delay(12).toMillis();
      assertTrue(ms >= 0 && ms <= 300_000, "wait out of range: " + ms);
      min = Math.min(min, ms);
      max = Math.max(max, ms);
    }
    // full jitter: not "ceiling ± a little", but anywhere from 0 to the ceiling
    assertTrue(min < 15_000, "shortest wait " + min);
    assertTrue(max > 285_000, "longest wait " + max);
  }
}
