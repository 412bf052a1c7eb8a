package dev.vigia.common.logging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The server's recent log lines about each org ({@code "mdc": {"org": …}}), in memory, for
 * {@code vigia logs <org>} and the page (the old {@code pm2 logs --lines 50}). Lines are the
 * JSON lines written to stdout, already without secrets. Bounded twice: at most
 * {@code perOrg} lines per org and {@code totalChars} in all (the orgs written to least
 * recently lose their oldest lines first), so thousands of orgs cannot grow the heap.
 * Thread-safe: loggers append from any thread; listeners are called on the logging thread.
 */
public final class OrgLogLines {

  public static final int DEFAULT_PER_ORG = 500;
  public static final long DEFAULT_TOTAL_CHARS = 16L << 20;

  private final int perOrg;
  private final long totalChars;
  // access order: the eldest entry is the org written to least recently
  private final LinkedHashMap<String, Deque<String>> lines = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
  private long chars;

  public OrgLogLines() {
    this(DEFAULT_PER_ORG, DEFAULT_TOTAL_CHARS);
  }

  public OrgLogLines(int perOrg, long totalChars) {
    if (perOrg < 1 || totalChars < 1) {
      throw new IllegalArgumentException("perOrg and totalChars must be positive");
    }
    this.perOrg = perOrg;
    this.totalChars = totalChars;
  }

  /** Keeps {@code line} as the newest of {@code org}'s and hands it to its listeners. */
  public void append(String org, String line) {
    if (org == null || line == null) {
      return;
    }
    synchronized (this) {
      Deque<String> own = lines.computeIfAbsent(org, k -> new ArrayDeque<>());
      own.addLast(line);
      chars += line.length();
      if (own.size() > perOrg) {
        chars -= own.removeFirst().length();
      }
      evictWhileOverBudget();
    }
    List<Consumer<String>> waiting = listeners.get(org);
    if (waiting != null) {
      for (Consumer<String> listener : waiting) {
        try {
          listener.accept(line);
        } catch (RuntimeException e) {
          // a listener's failure must never fail the log call that fed it
        }
      }
    }
  }

  private void evictWhileOverBudget() {
    Iterator<Map.Entry<String, Deque<String>>> eldest = lines.entrySet().iterator();
    while (chars > totalChars && eldest.hasNext()) {
      Map.Entry<String, Deque<String>> e = eldest.next();
      Deque<String> q = e.getValue();
      while (chars > totalChars && !q.isEmpty()) {
        chars -= q.removeFirst().length();
      }
      if (q.isEmpty()) {
        eldest.remove();
      }
    }
  }

  /** The last {@code n} lines of {@code org}, oldest first. */
  public synchronized List<String> recent(String org, int n) {
    Deque<String> own = lines.get(org);
    if (own == null || n < 1) {
      return List.of();
    }
    List<String> all = new ArrayList<>(own);
    return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
  }

  /** Calls {@code listener} with each new line of {@code org} until the returned action runs. */
  public Runnable follow(String org, Consumer<String> listener) {
    // added and removed inside the map's own step: a listener never lands in a dropped list
    listeners.compute(org, (k, v) -> {
      List<Consumer<String>> own = v == null ? new CopyOnWriteArrayList<>() : v;
      own.add(listener);
      return own;
    });
    return () -> listeners.computeIfPresent(org, (k, v) -> {
      v.remove(listener);
      return v.isEmpty() ? null : v;
    });
  }
}
