package dev.vigia.gateway;

import dev.vigia.common.Cause;
import dev.vigia.common.gateway.ArchiveList;
import dev.vigia.common.gateway.ArchivedState;
import dev.vigia.common.gateway.ArchivesRequest;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.RestoreRequest;
import dev.vigia.common.gateway.RestoreResult;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.gateway.session.OrgSession;
import dev.vigia.gateway.session.OwningContext;
import dev.vigia.gateway.session.SessionTable;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateStore;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoing a clear (issue 9): an org's archived auth states, and one brought back as the org's
 * when it has none, the session started from it at once. WhatsApp then says whether the login
 * still stands ({@code CONNECTED}, no QR) or not (401: archived again, {@code LOGGED_OUT}).
 * Used on the owning context.
 */
final class ArchiveCommands {

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveCommands.class);

  private final OwningContext owner;
  private final KeyedQueue queue;
  private final SessionTable table;
  private final EngineRuns runs;
  private final AuthStateStore store;

  ArchiveCommands(OwningContext owner, KeyedQueue queue, SessionTable table, EngineRuns runs,
      AuthStateStore store) {
    this.owner = owner;
    this.queue = queue;
    this.table = table;
    this.runs = runs;
    this.store = store;
  }

  /** From the store at once, never behind the org's commands. */
  Future<ArchiveList> archives(ArchivesRequest r) {
    String org = RequestChecks.org(r.org());
    return owner.back(store.archives(org)).transform(ar -> ar.succeeded()
        ? Future.succeededFuture(new ArchiveList(org, ar.result()))
        : Future.failedFuture(failure(org, "the archives could not be listed", ar.cause())));
  }

  /**
   * Refused while the session is live or the org has auth state (409: never overwritten), for an
   * archive that is not there (404) or holds no linked login (409: there is nothing to log in
   * with; connecting links a phone).
   */
  Future<RestoreResult> restore(RestoreRequest r) {
    String org = RequestChecks.org(r.org());
    String id = RequestChecks.archiveId(r.archiveId());
    String actor = RequestChecks.actor(r.actor());
    return queue.run(org, () -> {
      OrgSession s = table.find(org);
      if (runs.session(org) != null || (s != null && SessionGateway.LIVE.contains(s.state()))) {
        return Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE, "the session is "
            + (s == null ? "open" : s.state()) + ": a restore never replaces a live session;"
            + " disconnect and clear it first (it is archived too), then restore"));
      }
      return owner.back(store.archives(org))
          .recover(e -> Future.failedFuture(failure(org, "the archive could not be read", e)))
          .compose(archives -> restorable(org, id, archives))
          .compose(archive -> owner.back(store.restore(org, id))
              .recover(e -> Future.failedFuture(failure(org, "the archive could not be restored"
                  + " (nothing changed)", e))))
          .compose(restored -> {
            OrgMdc.run(org, () -> LOG.info("archive {} restored by {}; starting the session", id,
                actor));
            // the change to STARTING carries who and which archive into the journal
            return runs.open(org, null, new Cause(null, Cause.ARCHIVE_RESTORED, "Archive " + id
                + " (cleared " + restored.archivedAt() + ") restored by " + actor))
                // restored, but the engine could not start: the monitor retries, as after a failed connect
                .recover(e -> Future.succeededFuture(table.view(org)));
          })
          .map(view -> new RestoreResult(view, id));
    });
  }

  private static Future<ArchivedState> restorable(String org, String id,
      List<ArchivedState> archives) {
    for (ArchivedState archive : archives) {
      if (archive.id().equals(id)) {
        return archive.linked() ? Future.succeededFuture(archive)
            : Future.failedFuture(new GatewayFailure(Failure.WRONG_STATE, "archive " + id
                + " holds no linked login (it was cleared before a phone was linked): there is"
                + " nothing to restore; connect to link a phone"));
      }
    }
    return Future.failedFuture(new GatewayFailure(Failure.UNKNOWN, "organization " + org
        + " has no archive " + id + " (restored or purged already?)"));
  }

  /** The store's refusals keep their status and words; its faults are logged and said plainly. */
  private static GatewayFailure failure(String org, String what, Throwable e) {
    if (e instanceof GatewayFailure f) {
      return f;
    }
    if (e instanceof IllegalArgumentException) {
      return new GatewayFailure(Failure.BAD_INPUT, e.getMessage());
    }
    if (e instanceof AuthStateException a && a.kind() != AuthStateException.Kind.STORAGE) {
      return new GatewayFailure(a.failureCode(), a.getMessage());
    }
    OrgMdc.run(org, () -> LOG.error("{}: {}", what, e.toString()));
    return new GatewayFailure(500, what + "; see the server log");
  }
}
