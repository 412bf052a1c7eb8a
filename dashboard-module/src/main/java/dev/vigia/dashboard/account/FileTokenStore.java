package dev.vigia.dashboard.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
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
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Admin tokens in {@code <dataDir>/accounts/tokens.json} (owner-only, beside the accounts): each
 * change one atomic rename, applied one at a time and current only once written. Only hashes are
 * stored.
 */
public final class FileTokenStore implements TokenStore {

  public static final String FILE = "tokens.json";

  private final Vertx vertx;
  private final Path file;
  private volatile List<AdminToken> current;
  private Future<Void> opening;
  private Future<?> tail = Future.succeededFuture();

  public FileTokenStore(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.file = dataDir.resolve(FileAccountStore.FOLDER).resolve(FILE);
  }

  @Override
  public synchronized Future<Void> open() {
    if (opening == null) {
      opening = vertx.executeBlocking(() -> {
        OwnerOnly.folder(file.getParent());
        OwnerOnly.narrow(file, OwnerOnly.FILE);
        return read();
      }).map(tokens -> {
        current = tokens;
        return null;
      });
    }
    return opening;
  }

  private List<AdminToken> read() throws IOException {
    try {
      return List.copyOf(Json.mapper().readValue(Files.readAllBytes(file),
          new TypeReference<List<AdminToken>>() {}));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new IOException("cannot read the tokens file " + file + ": it is not valid JSON ("
          + e.getClass().getSimpleName() + "); restore it from a backup or delete it (every"
          + " admin token then stops working)", e);
    }
  }

  private List<AdminToken> tokens() {
    List<AdminToken> t = current;
    if (t == null) {
      throw new IllegalStateException("FileTokenStore used before open()");
    }
    return t;
  }

  @Override
  public Future<AdminToken> create(AdminToken token) {
    return change(all -> {
      List<AdminToken> next = new ArrayList<>(all);
      next.add(token);
      return next;
    }).map(token);
  }

  @Override
  public Future<List<AdminToken>> list() {
    try {
      return Future.succeededFuture(tokens().stream()
          .sorted(Comparator.comparing(AdminToken::createdAt).thenComparing(AdminToken::id))
          .toList());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<AdminToken> delete(String id) {
    Promise<AdminToken> removed = Promise.promise();
    return change(all -> {
      AdminToken found = all.stream().filter(t -> t.id().equals(id)).findFirst()
          .orElseThrow(() -> new AccountStoreException(Reason.NOT_FOUND,
              "there is no admin token " + id));
      removed.tryComplete(found);
      return all.stream().filter(t -> t != found).toList();
    }).compose(v -> removed.future());
  }

  @Override
  public Future<Optional<AdminToken>> findByHash(String hash) {
    try {
      return Future.succeededFuture(tokens().stream().filter(t -> t.hash().equals(hash))
          .findFirst());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private synchronized Future<List<AdminToken>> change(UnaryOperator<List<AdminToken>> edit) {
    Promise<List<AdminToken>> done = Promise.promise();
    tail = tail.transform(ignored -> {
      Future<List<AdminToken>> step;
      try {
        List<AdminToken> next = List.copyOf(edit.apply(tokens()));
        byte[] bytes = serialize(next);
        step = vertx.executeBlocking(() -> {
          AtomicFiles.write(file, bytes);
          OwnerOnly.narrow(file, OwnerOnly.FILE);
          return next;
        }).onSuccess(t -> current = t);
      } catch (RuntimeException e) {
        step = Future.failedFuture(e);
      }
      step.onComplete(done);
      return step;
    });
    return done.future();
  }

  private static byte[] serialize(List<AdminToken> tokens) {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(tokens);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write tokens as JSON", e);
    }
  }
}
