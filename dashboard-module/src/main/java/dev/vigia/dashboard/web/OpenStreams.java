package dev.vigia.dashboard.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The live event streams (SSE responses and bridge sockets) and who opened them. A stream decides
 * its caller once, when it opens; when that caller's key is revoked or its user is changed or
 * deleted, the stream is closed here so it cannot outlive the credential it was opened with.
 */
public final class OpenStreams {

  /** Removes a stream from the registry once it has closed by itself. */
  public interface Registration {
    void remove();
  }

  private record Entry(Caller caller, Runnable close) {}

  private final Map<Object, Entry> open = new ConcurrentHashMap<>();

  /** Notes a stream of {@code caller}; {@code close} ends it (it must be safe to run twice). */
  public Registration add(Caller caller, Runnable close) {
    Object token = new Object();
    open.put(token, new Entry(caller, close));
    return () -> open.remove(token);
  }

  /** Closes the streams opened with API key {@code keyId}; returns how many. */
  public int closeKey(String keyId) {
    return closeWhere(c -> c.isKey() && c.keyId().equals(keyId));
  }

  /** Closes the streams opened by user {@code username}'s sessions; returns how many. */
  public int closeUser(String username) {
    return closeWhere(c -> !c.isKey() && username.equals(c.username()));
  }

  /** Closes the streams of everyone who followed {@code org} as a member or one of its keys. */
  public int closeMembersOf(String org) {
    return closeWhere(c -> !c.isAdmin() && c.orgs().contains(org));
  }

  public int size() {
    return open.size();
  }

  private int closeWhere(Predicate<Caller> match) {
    List<Object> tokens = open.entrySet().stream()
        .filter(e -> match.test(e.getValue().caller())).map(Map.Entry::getKey).toList();
    int closed = 0;
    for (Object token : tokens) {
      Entry entry = open.remove(token);
      if (entry != null) {
        entry.close().run();
        closed++;
      }
    }
    return closed;
  }
}
