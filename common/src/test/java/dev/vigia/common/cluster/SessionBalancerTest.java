package dev.vigia.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.cluster.SessionBalancer.Plan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Spreading sessions over nodes by count: the plan of one node for one snapshot, as a table. */
class SessionBalancerTest {

  /** "a=1,2;b=3;-=4" → org 1 and 2 owned by a, 3 by b, 4 by nobody. */
  static Map<String, String> owners(String spec) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : spec.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      String[] kv = part.split("=");
      for (String org : kv[1].split(",")) {
        out.put(org, kv[0].equals("-") ? null : kv[0]);
      }
    }
    return out;
  }

  static Map<String, String> prefs(String spec) {
    Map<String, String> out = new HashMap<>();
    for (String part : spec.split(";")) {
      if (!part.isBlank()) {
        String[] kv = part.split("=");
        out.put(kv[0], kv[1]);
      }
    }
    return out;
  }

  static List<String> list(String csv) {
    return csv.isBlank() ? List.of() : Arrays.asList(csv.split(","));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // scenario, self, live, owners, preferred, maxMoves, claim, release
        Arguments.of("a first node takes every free org", "a", "a", "-=1,2,3", "", 5, "1,2,3", ""),
        Arguments.of("two nodes split free orgs: a gets 1,3", "a", "a,b", "-=1,2,3,4", "", 5,
            "1,3", ""),
        Arguments.of("…and b gets 2,4", "b", "a,b", "-=1,2,3,4", "", 5, "2,4", ""),
        Arguments.of("balanced: nothing to do", "a", "a,b", "a=1,2;b=3,4", "", 5, "", ""),
        Arguments.of("one over with an odd count stays", "a", "a,b", "a=1,2;b=3", "", 5, "", ""),
        Arguments.of("a new node: the old one hands over half", "a", "a,b", "a=1,2,3,4", "", 5,
            "", "3,4"),
        Arguments.of("…and the new one claims nothing until they are free", "b", "a,b",
            "a=1,2,3,4", "", 5, "", ""),
        Arguments.of("released orgs are claimed by the node below target", "b", "a,b",
            "a=1,2;-=3,4", "", 5, "3,4", ""),
        Arguments.of("moves are bounded per round", "a", "a,b", "a=1,2,3,4,5,6", "", 1, "", "6"),
        Arguments.of("a dead node's orgs go to the live ones: a", "a", "a,b",
            "a=1;b=2;dead=3,4,5,6", "", 5, "3,5", ""),
        Arguments.of("…and b", "b", "a,b", "a=1;b=2;dead=3,4,5,6", "", 5, "4,6", ""),
        Arguments.of("an operator's move: the owner releases it", "a", "a,b", "a=1,2;b=3,4",
            "1=b", 5, "", "1"),
        Arguments.of("…and the chosen node claims it once free, handing another back", "b",
            "a,b", "a=2;b=3,4;-=1", "1=b", 5, "1", "4"),
        Arguments.of("…while the other node leaves it alone", "a", "a,b", "a=2;b=3,4;-=1",
            "1=b", 5, "", ""),
        Arguments.of("a pinned org is never released to rebalance", "a", "a,b", "a=1,2,3,4",
            "3=a;4=a", 5, "", "1,2"),
        Arguments.of("a move to a dead node is ignored", "a", "a,b", "a=1;b=2;-=3", "3=gone", 5,
            "3", ""),
        Arguments.of("self not yet listed as alive still counts", "c", "a,b", "-=1,2,3", "", 5,
            "3", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void planOfOneNode(String scenario, String self, String live, String owners, String preferred,
      int maxMoves, String claim, String release) {
    Plan plan = SessionBalancer.plan(self, list(live), owners(owners), prefs(preferred),
        maxMoves);
    assertEquals(new Plan(list(claim), list(release)), plan, scenario);
  }

  /** Rounds of every node planning on the same snapshot, until nothing changes. */
  static int settle(Map<String, String> owner, List<String> live, int maxMoves) {
    for (int round = 1; round <= 50; round++) {
      Map<String, String> snapshot = new TreeMap<>(owner);
      List<Plan> plans = live.stream()
          .map(n -> SessionBalancer.plan(n, live, snapshot, Map.of(), maxMoves)).toList();
      if (plans.stream().allMatch(Plan::isEmpty)) {
        return round;
      }
      Set<String> claimedThisRound = new HashSet<>();
      for (int i = 0; i < live.size(); i++) {
        for (String org : plans.get(i).release()) {
          owner.put(org, null);
        }
        for (String org : plans.get(i).claim()) {
          assertTrue(claimedThisRound.add(org), "two nodes claim " + org + " in one round");
          owner.put(org, live.get(i));
        }
      }
    }
    throw new AssertionError("no stable spread after 50 rounds: " + owner);
  }

  static Map<String, Long> counts(Map<String, String> owner) {
    Map<String, Long> out = new TreeMap<>();
    owner.values().forEach(n -> out.merge(String.valueOf(n), 1L, Long::sum));
    return out;
  }

  @Test
  void sixtySessionsSpreadOverThreeNodesThenAFourthJoinsThenOneDies() {
    Map<String, String> owner = new TreeMap<>();
    for (int i = 1; i <= 60; i++) {
      owner.put(String.format("org%02d", i), null);
    }
    settle(owner, List.of("n1", "n2", "n3"), 5);
    assertEquals(Map.of("n1", 20L, "n2", 20L, "n3", 20L), counts(owner));

    Map<String, String> before = new HashMap<>(owner);
    settle(owner, List.of("n1", "n2", "n3", "n4"), 5);
    assertEquals(Map.of("n1", 15L, "n2", 15L, "n3", 15L, "n4", 15L), counts(owner));
    long moved = owner.keySet().stream().filter(o -> !owner.get(o).equals(before.get(o))).count();
    assertEquals(15, moved, "only the new node's share moves, each once");

    owner.replaceAll((org, node) -> node.equals("n2") ? "dead" : node);
    settle(owner, List.of("n1", "n3", "n4"), 5);
    assertEquals(Map.of("n1", 20L, "n3", 20L, "n4", 20L), counts(owner));
  }

  @Test
  void anUnevenCountSettlesWithinOne() {
    Map<String, String> owner = new TreeMap<>();
    for (int i = 1; i <= 61; i++) {
      owner.put("o" + i, i <= 40 ? "n1" : i <= 59 ? "n2" : null);
    }
    settle(owner, List.of("n1", "n2", "n3"), 3);
    List<Long> sizes = new ArrayList<>(counts(owner).values());
    assertEquals(61, sizes.stream().mapToLong(Long::longValue).sum());
    assertTrue(sizes.stream().mapToLong(Long::longValue).max().getAsLong()
        - sizes.stream().mapToLong(Long::longValue).min().getAsLong() <= 1, sizes.toString());
  }
}
