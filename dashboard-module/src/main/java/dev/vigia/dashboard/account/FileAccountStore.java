package dev.vigia.dashboard.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigia.common.Json;
import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.dashboard.account.AccountStoreException.Reason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts in one file, {@code <dataDir>/accounts/accounts.json}: every change is one atomic
 * rename ({@link AtomicFiles}), so deleting an org and its keys can never be half-done. The whole
 * (small) content is kept in memory; changes are applied one at a time and take effect only once
 * written.
 */
public final class FileAccountStore implements AccountStore {

  public static final String FOLDER = "accounts";
  public static final String FILE = "accounts.json";

  private static final Logger LOG = LoggerFactory.getLogger(FileAccountStore.class);

  /** What the file holds. */
  record Snapshot(List<Org> orgs, List<User> users, List<ApiKey> apiKeys) {
    static final Snapshot EMPTY = new Snapshot(List.of(), List.of(), List.of());

    Snapshot {
      orgs = orgs == null ? List.of() : List.copyOf(orgs);
      users = users == null ? List.of() : List.copyOf(users);
      apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    }
  }

  private final Vertx vertx;
  private final Path file;
  private volatile Snapshot current;
  private Future<Void> opening;
  /** Changes queue behind each other: each reads the state the previous one wrote. */
  private Future<?> tail = Future.succeededFuture();

  public FileAccountStore(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.file = dataDir.resolve(FOLDER).resolve(FILE);
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized Future<Void> open() {
    if (opening == null) {
      opening = vertx.executeBlocking(() -> {
        prepareFolder();
        return read();
      }).map(s -> {
        current = s;
        return null;
      });
    }
    return opening;
  }

  /**
   * The folder only its owner may enter, the file only its owner may read (it holds password and
   * key hashes), and no temp file a crash left behind.
   */
  private void prepareFolder() throws IOException {
    Path folder = file.getParent();
    if (OwnerOnly.folder(folder)) {
      LOG.info("narrowed {} to its owner only (rwx------): it holds password hashes", folder);
    }
    if (OwnerOnly.narrow(file, OwnerOnly.FILE)) {
      LOG.info("narrowed {} to its owner only (rw-------): it holds password hashes", file);
    }
    int swept = AtomicFiles.sweepTemps(folder);
    if (swept > 0) {
      LOG.info("removed {} temp file(s) an interrupted write left in {}", swept, folder);
    }
  }

  private Snapshot read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Snapshot.EMPTY;
    }
    try {
      return Json.mapper().readValue(bytes, Snapshot.class);
    } catch (IOException e) {
      throw new IOException("cannot read the accounts file " + file + ": it is not valid JSON ("
          + e.getClass().getSimpleName() + "); restore it from a backup", e);
    }
  }

  private Snapshot state() {
    Snapshot s = current;
    if (s == null) {
      throw new IllegalStateException("FileAccountStore used before open()");
    }
    return s;
  }

  @Override
  public Future<List<Org>> listOrgs() {
    return read(s -> s.orgs().stream().sorted(Comparator.comparing(Org::id)).toList());
  }

  @Override
  public Future<Optional<Org>> findOrg(String id) {
    return read(s -> s.orgs().stream().filter(o -> o.id().equals(id)).findFirst());
  }

  @Override
  public Future<Org> createOrg(Org org) {
    return change(s -> {
      if (s.orgs().stream().anyMatch(o -> o.id().equals(org.id()))) {
        throw new AccountStoreException(Reason.CONFLICT, "organization " + org.id() + " exists");
      }
      List<Org> orgs = new ArrayList<>(s.orgs());
      orgs.add(org);
      return new Snapshot(orgs, s.users(), s.apiKeys());
    }).map(org);
  }

  @Override
  public Future<Org> updateOrg(Org org) {
    return change(s -> {
      requireOrg(s, org.id());
      List<Org> orgs = s.orgs().stream().map(o -> o.id().equals(org.id()) ? org : o).toList();
      return new Snapshot(orgs, s.users(), s.apiKeys());
    }).map(org);
  }

  @Override
  public Future<Void> deleteOrg(String id) {
    return change(s -> {
      requireOrg(s, id);
      return new Snapshot(
          s.orgs().stream().filter(o -> !o.id().equals(id)).toList(),
          s.users().stream().map(u -> u.withoutOrg(id)).toList(),
          s.apiKeys().stream().filter(k -> !k.org().equals(id)).toList());
    }).mapEmpty();
  }

  @Override
  public Future<List<User>> listUsers() {
    return read(s -> s.users().stream().sorted(Comparator.comparing(User::username)).toList());
  }

  @Override
  public Future<Optional<User>> findUser(String username) {
    return read(s -> s.users().stream().filter(u -> u.username().equals(username)).findFirst());
  }

  @Override
  public Future<User> createUser(User user) {
    return change(s -> {
      if (s.users().stream().anyMatch(u -> u.username().equals(user.username()))) {
        throw new AccountStoreException(Reason.CONFLICT, "user " + user.username() + " exists");
      }
      for (String org : user.orgs()) {
        requireOrg(s, org);
      }
      List<User> users = new ArrayList<>(s.users());
      users.add(user);
      return new Snapshot(s.orgs(), users, s.apiKeys());
    }).map(user);
  }

  @Override
  public Future<User> updateUser(String username, UnaryOperator<User> edit) {
    Promise<User> updated = Promise.promise();
    return change(s -> {
      User old = requireUser(s, username);
      User next = edit.apply(old);
      if (!next.username().equals(username)) {
        throw new IllegalArgumentException("a user cannot be renamed");
      }
      for (String org : next.orgs()) {
        requireOrg(s, org);
      }
      if (old.isAdmin() && !next.isAdmin()) {
        requireAnotherAdmin(s, username, "demoted");
      }
      updated.tryComplete(next);
      return new Snapshot(s.orgs(),
          s.users().stream().map(u -> u.username().equals(username) ? next : u).toList(),
          s.apiKeys());
    }).compose(s -> updated.future());
  }

  @Override
  public Future<Void> deleteUser(String username) {
    return change(s -> {
      if (requireUser(s, username).isAdmin()) {
        requireAnotherAdmin(s, username, "deleted");
      }
      return new Snapshot(s.orgs(),
          s.users().stream().filter(u -> !u.username().equals(username)).toList(), s.apiKeys());
    }).mapEmpty();
  }

  @Override
  public Future<List<ApiKey>> listApiKeys(String org) {
    return read(s -> s.apiKeys().stream().filter(k -> k.org().equals(org))
        .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id)).toList());
  }

  @Override
  public Future<ApiKey> deleteApiKey(String org, String id) {
    Promise<ApiKey> removed = Promise.promise();
    return change(s -> {
      ApiKey key = s.apiKeys().stream().filter(k -> k.org().equals(org) && k.id().equals(id))
          .findFirst().orElseThrow(() -> new AccountStoreException(Reason.NOT_FOUND,
              "organization " + org + " has no API key " + id));
      removed.tryComplete(key);
      return new Snapshot(s.orgs(), s.users(),
          s.apiKeys().stream().filter(k -> k != key).toList());
    }).compose(s -> removed.future());
  }

  @Override
  public Future<ApiKey> createApiKey(ApiKey key) {
    return change(s -> {
      requireOrg(s, key.org());
      List<ApiKey> keys = new ArrayList<>(s.apiKeys());
      keys.add(key);
      return new Snapshot(s.orgs(), s.users(), keys);
    }).map(key);
  }

  @Override
  public Future<Optional<ApiKey>> findApiKeyByHash(String hash) {
    return read(s -> s.apiKeys().stream().filter(k -> k.hash().equals(hash)).findFirst());
  }

  private static User requireUser(Snapshot s, String username) {
    return s.users().stream().filter(u -> u.username().equals(username)).findFirst()
        .orElseThrow(() -> new AccountStoreException(Reason.NOT_FOUND,
            "user " + username + " does not exist"));
  }

  /** Nobody could make a new admin once the last one is gone: refuse instead. */
  private static void requireAnotherAdmin(Snapshot s, String username, String what) {
    if (s.users().stream().noneMatch(u -> u.isAdmin() && !u.username().equals(username))) {
      throw new AccountStoreException(Reason.LAST_ADMIN, "user " + username
          + " is the last admin and cannot be " + what + ": make another user admin first");
    }
  }

  private static void requireOrg(Snapshot s, String id) {
    if (s.orgs().stream().noneMatch(o -> o.id().equals(id))) {
      throw new AccountStoreException(Reason.NOT_FOUND, "organization " + id + " does not exist");
    }
  }

  private <T> Future<T> read(Function<Snapshot, T> query) {
    try {
      return Future.succeededFuture(query.apply(state()));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Applies {@code edit} to the latest state, writes the result, then makes it current. */
  private synchronized Future<Snapshot> change(Function<Snapshot, Snapshot> edit) {
    Promise<Snapshot> done = Promise.promise();
    tail = tail.transform(ignored -> {
      Future<Snapshot> step;
      try {
        Snapshot next = edit.apply(state());
        byte[] bytes = serialize(next);
        step = vertx.executeBlocking(() -> {
          AtomicFiles.write(file, bytes);
          // the folder is 0700, so the file is never readable by others between write and narrow
          OwnerOnly.narrow(file, OwnerOnly.FILE);
          return next;
        }).onSuccess(s -> current = s);
      } catch (RuntimeException e) {
        step = Future.failedFuture(e);
      }
      step.onComplete(done);
      return step;
    });
    return done.future();
  }

  private static byte[] serialize(Snapshot s) {
    try {
      Map<String, Object> ordered = new LinkedHashMap<>();
      ordered.put("orgs", s.orgs());
      ordered.put("users", s.users());
      ordered.put("apiKeys", s.apiKeys());
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(ordered);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write accounts as JSON", e);
    }
  }
}
