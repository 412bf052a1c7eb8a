package dev.vigia.monitor.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DESIGN §3, the Bad MAC row: repair one contact, degrade on many, never wipe. */
@Timeout(10)
class DecryptFailureTrackerTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final DecryptFailureTracker tracker = DecryptFailureTracker.withDefaults();

  private int repairs(String org, String contact, int failures, Instant from) {
    int repairs = 0;
    for (int i = 0; i < failures; i++) {
      if (tracker.record(org, contact, from.plusSeconds(i)).repairContact()) {
        repairs++;
      }
    }
    return repairs;
  }

  @Test
  void fourFailuresOfOneContactRepairNothing() {
    assertEquals(0, repairs("2", "a@s.whatsapp.net", 4, T0));
  }

  @Test
  void aBurstOnOneContactRepairsItOnceAndDoesNotDegradeTheOrg() {
    assertEquals(1, repairs("2", "a@s.whatsapp.net", 30, T0));
    assertFalse(tracker.isDegraded("2"));
  }

  @Test
  void theSameContactIsRepairedAgainOnlyAfterTheWindow() {
    assertEquals(1, repairs("2", "a", 5, T0));
    assertEquals(0, repairs("2", "a", 5, T0.plus(Duration.ofMinutes(5))));
    assertEquals(1, repairs("2", "a", 5, T0.plus(Duration.ofMinutes(21))));
  }

  @Test
  void failuresSpreadOverMoreThanTheWindowNeverRepair() {
    for (int i = 0; i < 20; i++) {
      assertFalse(tracker.record("2", "a", T0.plus(Duration.ofMinutes(3L * i))).repairContact());
    }
  }

  @Test
  void contactsAreCountedPerOrg() {
    assertEquals(0, repairs("2", "a", 3, T0));
    assertEquals(0, repairs("4", "a", 3, T0));
  }

  @Test
  void threeContactsOverTheThresholdDegradeTheOrgOnce() {
    repairs("2", "a", 5, T0);
    repairs("2", "b", 5, T0);
    assertFalse(tracker.isDegraded("2"));
    boolean became = false;
    for (int i = 0; i < 5; i++) {
      became |= tracker.record("2", "c", T0.plusSeconds(10 + i)).becameDegraded();
    }
    assertTrue(became);
    assertTrue(tracker.isDegraded("2"));
    assertFalse(tracker.record("2", "c", T0.plusSeconds(20)).becameDegraded(), "only once");
  }

  @Test
  void twentyFailuresAcrossFiveContactsDegradeEvenWithNoContactOverItsThreshold() {
    String[] contacts = {"a", "b", "c", "d", "e"};
    boolean became = false;
    int n = 0;
    for (int round = 0; round < 4; round++) {
      for (String c : contacts) {
        DecryptFailureTracker.Verdict v = tracker.record("2", c, T0.plusSeconds(n++));
        assertFalse(v.repairContact());
        became |= v.becameDegraded();
      }
    }
    assertTrue(became);
  }

  @Test
  void theOrgRecoversWhenTheWindowHasPassed() {
    repairs("2", "a", 5, T0);
    repairs("2", "b", 5, T0);
    repairs("2", "c", 5, T0);
    assertTrue(tracker.isDegraded("2"));
    DecryptFailureTracker.Verdict later = tracker.record("2", "d", T0.plus(Duration.ofMinutes(30)));
    assertTrue(later.recovered());
    assertFalse(tracker.isDegraded("2"));
  }
}
