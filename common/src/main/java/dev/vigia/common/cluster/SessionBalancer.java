package dev.vigia.common.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which orgs this node should claim and which it should hand over, so sessions spread over the
 * live nodes by count (issue 11). A pure function of one snapshot (the live nodes, the lease
 * table, the operator's choices): every node computes the same targets from the same snapshot,
 * so each claims only what is meant for it, and when views differ the database's claim decides
 * (one wins, the others recompute next round).
 *
 * <ul>
 *   <li>An org an operator moved to a live node goes there: its owner releases it, that node
 *       claims it.
 *   <li>Targets: {@code n} orgs over {@code m} nodes, each node {@code n/m}, one more for the
 *       {@code n%m} nodes that hold most now (fewest moves), ties by node id.
 *   <li>A node over its target releases the excess (at most {@code maxMoves} a round: each move
 *       stops a running session for one reconnect), never an org pinned to it.
 *   <li>Orgs nobody holds (new, released, or owned by a node no longer alive) go, in org order,
 *       each to the node furthest below its target (ties by node id). A dead owner's lease may
 *       still be running: the claim then fails until it ends, and is tried again next round.
 * </ul>
 */
public final class SessionBalancer {

  /** What this node should do this round; both lists in org order. */
  public record Plan(List<String> claim, List<String> release) {
    public boolean isEmpty() {
      return claim.isEmpty() && release.isEmpty();
    }
  }

  private SessionBalancer() {}

  /**
   * @param self this node
   * @param liveNodes the nodes seen alive (self is counted whether listed or not)
   * @param owners every org to place, mapped to its live owner; absent or null: nobody
   * @param preferred the operator's node for some orgs (ignored while that node is not alive)
   * @param maxMoves most orgs this node releases in one round to rebalance (not counting
   *     operator moves)
   */
  public static Plan plan(String self, Collection<String> liveNodes, Map<String, String> owners,
      Map<String, String> preferred, int maxMoves) {
    Objects.requireNonNull(self, "self");
    TreeSet<String> nodes = new TreeSet<>(liveNodes);
    nodes.add(self);
    Map<String, String> owner = new TreeMap<>();
    owners.forEach((org, node) -> owner.put(org, node != null && nodes.contains(node) ? node : null));
    Map<String, String> pinned = new TreeMap<>();
    preferred.forEach((org, node) -> {
      if (node != null && nodes.contains(node) && owner.containsKey(org)) {
        pinned.put(org, node);
      }
    });

    List<String> claim = new ArrayList<>();
    List<String> release = new ArrayList<>();
    // operator moves first: they are not rebalancing, and count where they are going
    pinned.forEach((org, node) -> {
      String current = owner.get(org);
      if (node.equals(current)) {
        return;
      }
      if (self.equals(current)) {
        release.add(org);
      } else if (current == null && self.equals(node)) {
        claim.add(org);
      }
    });

    Map<String, Integer> count = new HashMap<>();
    nodes.forEach(n -> count.put(n, 0));
    owner.forEach((org, node) -> {
      // a moved org counts where it is going
      String holder = pinned.getOrDefault(org, node);
      if (holder != null) {
        count.merge(holder, 1, Integer::sum);
      }
    });
    Map<String, Integer> target = targets(nodes, count, owner.size());

    // over target: hand over the excess, never a pinned org, at most maxMoves a round
    int excess = Math.min(Math.max(0, count.get(self) - target.get(self)), Math.max(0, maxMoves));
    List<String> movable = owner.entrySet().stream()
        .filter(e -> self.equals(e.getValue()) && !pinned.containsKey(e.getKey()))
        .map(Map.Entry::getKey).sorted(Comparator.reverseOrder()).toList();
    for (int i = 0; i < excess && i < movable.size(); i++) {
      release.add(movable.get(i));
    }

    // nobody's orgs: each to the node furthest below its target, as every node computes it
    Map<String, Integer> load = new HashMap<>(count);
    owner.forEach((org, node) -> {
      if (node == null && !pinned.containsKey(org)) {
        String to = nodes.stream()
            .min(Comparator.<String>comparingInt(n -> load.get(n) - target.get(n))
                .thenComparing(Comparator.naturalOrder()))
            .orElseThrow();
        load.merge(to, 1, Integer::sum);
        if (to.equals(self)) {
          claim.add(org);
        }
      }
    });
    claim.sort(Comparator.naturalOrder());
    release.sort(Comparator.naturalOrder());
    return new Plan(List.copyOf(claim), List.copyOf(release));
  }

  /** n/m each; the n%m nodes holding most now get one more (ties by node id). */
  static Map<String, Integer> targets(TreeSet<String> nodes, Map<String, Integer> count, int n) {
    int m = nodes.size();
    List<String> byLoad = new ArrayList<>(nodes);
    byLoad.sort(Comparator.<String>comparingInt(count::get).reversed()
        .thenComparing(Comparator.naturalOrder()));
    Map<String, Integer> target = new HashMap<>();
    for (int i = 0; i < m; i++) {
      target.put(byLoad.get(i), n / m + (i < n % m ? 1 : 0));
    }
    return target;
  }
}
