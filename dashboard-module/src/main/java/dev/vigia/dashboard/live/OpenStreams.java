package dev.vigia.dashboard.live;

import dev.vigia.dashboard.web.Caller;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The live event streams (SSE responses and bridge sockets) and who opened them. A stream decides
 * its caller once, when it opens; when that caller's key is revoked, its user is changed or
 * deleted, or the login it was opened with logs out, the stream is closed here so it cannot
 * outlive the credential it was opened with.
 */
public final class OpenStreams {

  /** Removes a stream from the registry once it has closed by itself. */
  public interface Registration {
    void remove();
  }

  /** Who opened a stream: the caller and, for a person, the login (web session id) it rode on. */
  public record Opener(Caller caller, String loginId) {}

  private record Entry(Opener opener, Runnable close) {}

  private final Map<Object, Entry> open = new ConcurrentHashMap<>();

  /** Notes a stream of {@code opener}; {@code close} ends it (it must be safe to run twice). */
  public Registration add(Opener opener, Runnable close) {
    Object token = new Object();
    open.put(token, new Entry(opener, close));
    return () -> open.remove(token);
  }

  /** Closes the streams opened with API key {@code keyId}; returns how many. */
  public int closeKey(String keyId) {
    return closeWhere(o -> o.caller().isKey() && o.caller().keyId().equals(keyId));
  }

  /** Closes the streams opened by user {@code username}'s sessions; returns how many. */
  public int closeUser(String username) {
    return closeWhere(o -> !o.caller().isKey() && username.equals(o.caller().username()));
  }

  /** Closes the streams opened with one login (a logout); returns how many. */
  public int closeLogin(String loginId) {
    return loginId == null ? 0 : closeWhere(o -> Objects.equals(loginId, o.loginId()));
  }

  /** Closes the streams of everyone who followed {@code org} as a member or one of its keys. */
  public int closeMembersOf(String org) {
    return closeWhere(o -> !o.caller().isAdmin() && o.caller().orgs().contains(org));
  }

  public int size() {
    return open.size();
  }

  private int closeWhere(Predicate<Opener> match) {
    List<Object> tokens = open.entrySet().stream()
        .filter(e -> match.test(e.getValue().opener())).map(Map.Entry::getKey).toList();
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
