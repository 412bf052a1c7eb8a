package dev.vigia.monitor.gateway;

import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.session.SessionView;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway as the jobs see it, without a bus: records every command and, like the real one,
 * refuses with 409 a settle or connect whose {@code forSeq} is not the org's newest state. A
 * test sets that newest state ({@link #at}) and queues failures for the next commands.
 */
public final class FakeGatewayCommands implements GatewayCommands {

  public record Settle(String org, SessionState state, Cause cause,
      SessionView.Reconnect reconnect, long forSeq) {}

  public record Connect(String org, long forSeq) {}

  public final List<Settle> settles = new ArrayList<>();
  public final List<Connect> connects = new ArrayList<>();
  public final List<String> clears = new ArrayList<>();
  public final List<String> repairs = new ArrayList<>();
  /** Commands answered with success (not refused, not failed). */
  public final List<Object> accepted = new ArrayList<>();
  private final Map<String, Long> newest = new HashMap<>();
  private final Deque<GatewayError> settleFailures = new ArrayDeque<>();
  private final Deque<GatewayError> connectFailures = new ArrayDeque<>();
  private GatewayError clearFailure;
  private GatewayError repairFailure;
  private GatewayError forgetFailure;
  private GatewayError purgeFailure;
  /** What {@link #list} and {@link #status} answer. */
  public List<SessionView> sessions = List.of();
  public final List<String> forgets = new ArrayList<>();
  public final List<Instant> purges = new ArrayList<>();

  /** The gateway's newest state of {@code org} is {@code seq}. */
  public void at(String org, long seq) {
    newest.put(org, seq);
  }

  /** The next settles fail with these, one each, before the gateway checks anything. */
  public void failSettles(GatewayError... errors) {
    settleFailures.addAll(List.of(errors));
  }

  public void failConnects(GatewayError... errors) {
    connectFailures.addAll(List.of(errors));
  }

  public void failClears(GatewayError error) {
    clearFailure = error;
  }

  public void failRepairs(GatewayError error) {
    repairFailure = error;
  }

  public void failForgets(GatewayError error) {
    forgetFailure = error;
  }

  public void failPurges(GatewayError error) {
    purgeFailure = error;
  }

  public static GatewayError noAnswer() {
    return new GatewayError(GatewayError.NO_ANSWER, "TIMEOUT: no reply in 30000 ms");
  }

  public static GatewayError refused(int code) {
    return new GatewayError(code, "refused with " + code);
  }

  public long settlesTo(SessionState state) {
    return settles.stream().filter(s -> s.state() == state).count();
  }

  @Override
  public Future<Void> connect(String org, long forSeq) {
    Connect c = new Connect(org, forSeq);
    connects.add(c);
    return answer(c, connectFailures.poll(), org, forSeq);
  }

  @Override
  public Future<Void> settle(String org, SessionState state, Cause cause,
      SessionView.Reconnect reconnect, long forSeq) {
    Settle s = new Settle(org, state, cause, reconnect, forSeq);
    settles.add(s);
    return answer(s, settleFailures.poll(), org, forSeq);
  }

  private Future<Void> answer(Object command, GatewayError failure, String org, long forSeq) {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    if (forSeq != newest.getOrDefault(org, 0L)) {
      return Future.failedFuture(new GatewayError(Failure.WRONG_STATE,
          "the session changed since state #" + forSeq));
    }
    accepted.add(command);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> clear(String org, String reason) {
    clears.add(org);
    return clearFailure == null ? Future.succeededFuture() : Future.failedFuture(clearFailure);
  }

  @Override
  public Future<Void> repair(String org, String contact, String reason) {
    repairs.add(org + " " + contact);
    return repairFailure == null ? Future.succeededFuture() : Future.failedFuture(repairFailure);
  }

  @Override
  public Future<Void> forget(String org) {
    forgets.add(org);
    return forgetFailure == null ? Future.succeededFuture() : Future.failedFuture(forgetFailure);
  }

  @Override
  public Future<Integer> purgeArchives(Instant olderThan) {
    purges.add(olderThan);
    return purgeFailure == null ? Future.succeededFuture(0) : Future.failedFuture(purgeFailure);
  }

  @Override
  public Future<List<SessionView>> list() {
    return Future.succeededFuture(sessions);
  }

  /** The listed session of {@code org}, or no answer (as with no gateway deployed). */
  @Override
  public Future<SessionView> status(String org) {
    return sessions.stream().filter(v -> v.org().equals(org)).findFirst()
        .map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(noAnswer()));
  }
}
