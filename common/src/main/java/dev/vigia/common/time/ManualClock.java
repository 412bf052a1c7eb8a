package dev.vigia.common.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The one clock moved by hand (tests and demos); with the monitor's {@code VirtualScheduler}, days
 * pass in milliseconds.
 */
public final class ManualClock extends Clock {

  private volatile Instant now;

  public ManualClock(Instant start) {
    this.now = start;
  }

  public synchronized void set(Instant to) {
    if (to.isBefore(now)) {
      throw new IllegalArgumentException("time does not go back");
    }
    now = to;
  }

  public void advance(Duration by) {
    set(now.plus(by));
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
