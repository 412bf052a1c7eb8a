package dev.vigia.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The server's lines per org: the last ones of each org, bounded, and followed live. */
class OrgLogLinesTest {

  @Test
  void eachOrgKeepsItsOwnLastLinesOldestFirst() {
    OrgLogLines lines = new OrgLogLines(3, 1_000_000);
    for (int i = 1; i <= 5; i++) {
      lines.append("2", "two-" + i);
    }
    lines.append("4", "four-1");
    assertEquals(List.of("two-3", "two-4", "two-5"), lines.recent("2", 50));
    assertEquals(List.of("two-4", "two-5"), lines.recent("2", 2));
    assertEquals(List.of("four-1"), lines.recent("4", 50));
    assertEquals(List.of(), lines.recent("7", 50), "an org never logged about has no lines");
  }

  @Test
  void theOrgsWrittenToLeastRecentlyGiveWayWhenAllLinesTogetherAreTooMany() {
    OrgLogLines lines = new OrgLogLines(100, 40); // 4 lines of 10 characters in all
    lines.append("old", "0123456789");
    lines.append("old", "0123456789");
    lines.append("new", "abcdefghij");
    lines.append("new", "abcdefghij");
    lines.append("new", "ABCDEFGHIJ");
    assertEquals(1, lines.recent("old", 10).size(), "the quiet org lost its oldest line");
    assertEquals(3, lines.recent("new", 10).size());
    for (int i = 0; i < 10; i++) {
      lines.append("new", "klmnopqrst");
    }
    assertEquals(List.of(), lines.recent("old", 10));
    assertEquals(4, lines.recent("new", 10).size());
  }

  @Test
  void followersGetEachNewLineOfTheirOrgOnlyUntilTheyStop() {
    OrgLogLines lines = new OrgLogLines();
    List<String> two = new CopyOnWriteArrayList<>();
    Runnable stop = lines.follow("2", two::add);
    lines.append("2", "a");
    lines.append("4", "not yours");
    lines.append("2", "b");
    stop.run();
    lines.append("2", "after");
    assertEquals(List.of("a", "b"), two);
  }

  @Test
  void aFollowerThatThrowsNeverFailsTheLogCallNorTheOtherFollowers() {
    OrgLogLines lines = new OrgLogLines();
    List<String> seen = new ArrayList<>();
    lines.follow("2", line -> {
      throw new IllegalStateException("broken follower");
    });
    lines.follow("2", seen::add);
    lines.append("2", "still logged");
    assertEquals(List.of("still logged"), seen);
    assertTrue(lines.recent("2", 1).contains("still logged"));
  }
}
