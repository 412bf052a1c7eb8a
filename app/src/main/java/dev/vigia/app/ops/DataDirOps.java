package dev.vigia.app.ops;

import dev.vigia.common.Cause;
import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.SessionState;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.monitor.SystemHealth;
import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.dashboard.account.AdminTokens;
import dev.vigia.app.Stores;
import dev.vigia.dashboard.account.AccountStore;
import dev.vigia.dashboard.account.Org;
import dev.vigia.dashboard.account.TokenStore;
import dev.vigia.dashboard.account.User;
import dev.vigia.gateway.session.SessionRecordStore;
import dev.vigia.gateway.session.SessionRecord;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import dev.vigia.monitor.journal.Journal;
import dev.vigia.monitor.system.DiskCheck;
import dev.vigia.monitor.system.NetworkCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The runbook's commands on the data dir of a stopped server (the command holds its lock): the
 * same status report as the server's, the journal of an org, a clear (archived, journaled with
 * who), an admin token. Nothing here runs while a server runs.
 */
final class DataDirOps implements AutoCloseable {

  private final VigiaConfig config;
  private final Path data;
  private final Clock clock = Clock.systemUTC();
  private final Vertx vertx = Vertx.vertx();
  /** The stores VIGIA_STORE names (files or PostgreSQL), opened at first use. */
  private Stores stores;

  DataDirOps(VigiaConfig config) {
    this.config = config;
    this.data = config.dataPath();
  }

  /** The status report of {@code GET /api/ops/status}, read from the files. */
  JsonObject status() {
    Instant now = clock.instant();
    List<SessionRecord> records = await(stores().records().loadAll());
    AccountStore accounts = accounts();
    List<Org> orgs = await(accounts.listOrgs());
    Map<String, JsonObject> byOrg = new TreeMap<>();
    for (SessionRecord r : records) {
      JsonObject s = new JsonObject().put("org", r.org()).put("state", r.state().name());
      put(s, "since", r.since());
      put(s, "cause", r.cause() == null ? null : Json.toJson(r.cause()));
      put(s, "me", r.me() == null ? null : Json.toJson(r.me()));
      put(s, "lastConnectedAt", r.lastConnectedAt());
      put(s, "lastActivityAt", r.lastActivityAt());
      if (r.connectionWanted()) {
        s.put("reconnectsAtStart", true);
      }
      byOrg.put(r.org(), s);
    }
    for (Org org : orgs) {
      byOrg.computeIfAbsent(org.id(), id -> new JsonObject().put("org", id)
          .put("state", SessionState.STOPPED.name())).put("name", org.name());
    }
    SystemHealth.Disk disk = new DiskCheck(data, config.checks()).run(true, null, now);
    SystemHealth.Network network = new NetworkCheck(config.checks().networkHost(),
        config.checks().networkPort(), NetworkCheck.TIMEOUT_MS).run(now);
    return new JsonObject().put("source", "data-dir").put("dataDir", data.toAbsolutePath()
            .toString()).put("at", now.toString())
        .put("engine", new JsonObject().put("name", config.engine()).put("status", "STOPPED")
            .put("detail", "no server is running on this data dir"))
        .put("store", storeCheck())
        .put("disk", Json.toJson(disk)).put("network", Json.toJson(network))
        .put("sessions", new JsonArray(List.copyOf(byOrg.values())));
  }

  /**
   * The file store: can Vigía's folder for sessions be written? PostgreSQL: the report's sessions
   * were just read from it (when it cannot be reached the command ends with that one line).
   */
  private JsonObject storeCheck() {
    JsonObject c = new JsonObject().put("name", config.store());
    if (!config.store().equals("file")) {
      return c.put("status", SystemHealth.UP).put("detail", "PostgreSQL "
          + config.pgSettings().where() + " answered");
    }
    Path sessions = data.resolve(FileAuthStateStore.SESSIONS_DIR);
    Path probe = (Files.isDirectory(sessions) ? sessions : data).resolve(AtomicFiles.TEMP_PREFIX
        + "doctor-probe");
    try {
      Files.write(probe, new byte[] {1});
      Files.delete(probe);
      return c.put("status", SystemHealth.UP);
    } catch (IOException e) {
      return c.put("status", SystemHealth.DOWN).put("detail", "cannot write in "
          + probe.getParent() + ": " + e.getMessage());
    }
  }

  /** The org's journal, oldest first. */
  List<JournalEntry> journal(String org, int lines) {
    List<JournalEntry> entries = new ArrayList<>(await(stores().monitor().journal()
        .newestFirst(OrgId.require(org), lines)));
    Collections.reverse(entries);
    return entries;
  }

  /**
   * {@code rm -rf auth_sessions/<org>}, made safe: the auth state goes to the archive, the
   * session's record says {@code STOPPED} (the next start does not reopen it), and the journal
   * says who cleared it and when. Returns where the auth state went (null: there was none).
   */
  String clear(String org, String actor, String reason) {
    OrgId.require(org);
    if (await(accounts().findOrg(org)).isEmpty()) {
      throw new OpsException("organization " + org + " does not exist (see vigia status)");
    }
    String archived = await(stores().authState().clear(org, reason));
    SessionRecordStore records = stores().records();
    Optional<SessionRecord> before = await(records.loadAll()).stream()
        .filter(r -> r.org().equals(org)).findFirst();
    Instant now = clock.instant();
    Journal journal = stores().monitor().journal();
    await(journal.append(new JournalEntry(org, now, JournalEntry.OPERATION, null, null, null,
        "Session cleared by " + actor + " (" + reason + ") while Vigía was stopped; the auth"
            + " state was moved to the archive" + (archived == null ? " (there was none)"
            : " (" + archived + ")"), actor)));
    if (before.isPresent()) {
      SessionRecord r = before.get();
      Cause cause = Cause.userRequest(reason);
      await(records.save(new SessionRecord(org, SessionState.STOPPED, now, cause, null,
          r.lastConnectedAt(), r.lastActivityAt(), false, r.seq() + 1)));
      await(journal.append(new JournalEntry(org, now, JournalEntry.STATE, r.state(),
          SessionState.STOPPED, cause, "Stopped at a person's request: " + reason, actor)));
    }
    return archived;
  }

  /**
   * An admin token for {@code username}, stored where VIGIA_STORE keeps them (the data dir's
   * tokens file, or PostgreSQL); the value, shown once.
   */
  String token(String username, String label) {
    Optional<User> user = await(accounts().findUser(username));
    if (user.isEmpty()) {
      throw new OpsException("there is no user " + username + " (vigia user add " + username
          + " --role admin makes one)");
    }
    if (!user.get().isAdmin()) {
      throw new OpsException("user " + username + " is not an admin: only admins get tokens");
    }
    AdminTokens.Generated made = AdminTokens.generate(user.get(), label, clock.instant());
    TokenStore tokens = stores().dashboard().tokens();
    await(tokens.open().compose(v -> tokens.create(made.stored())));
    return made.value();
  }

  private Stores stores() {
    if (stores == null) {
      Stores opening = Stores.forTool(config, vertx, clock);
      await(opening.open());
      stores = opening;
    }
    return stores;
  }

  private AccountStore accounts() {
    AccountStore accounts = stores().dashboard().accounts();
    await(accounts.open());
    return accounts;
  }

  private static void put(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value instanceof Instant i ? i.toString() : value);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r
          : new OpsException(cause == null ? e.toString() : cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpsException("interrupted");
    } catch (java.util.concurrent.TimeoutException e) {
      throw new OpsException("the data dir did not answer in 5 minutes");
    }
  }

  @Override
  public void close() {
    try {
      if (stores != null) {
        stores.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the process ends right after
    }
  }
}
