package dev.vigia.gateway.store.file;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import dev.vigia.gateway.store.AuthStateStore;
import dev.vigia.gateway.store.AuthStateWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auth-state store on local disk (DESIGN §6), in Baileys' own {@code useMultiFileAuthState}
 * layout so that an old {@code auth_sessions/<org>/} folder imports unchanged:
 * <pre>
 * &lt;dataDir&gt;/auth_sessions/&lt;org&gt;/creds.json
 * &lt;dataDir&gt;/auth_sessions/&lt;org&gt;/&lt;type&gt;-&lt;escaped id&gt;.json   value exactly as Baileys writes it
 * &lt;dataDir&gt;/archive/&lt;org&gt;/&lt;UTC time&gt;/                 a cleared org folder, moved whole
 * </pre>
 * Every write is temp file + fsync + atomic rename ({@link AtomicFiles}); clear and import are one
 * atomic folder rename each, so a crash leaves each key old or new and an org either fully
 * imported or not at all. Operations of one org run in the order they were called, each on a
 * worker thread; orgs do not wait for each other. One process per data dir (the caller holds
 * {@link dev.vigia.common.storage.DataDirLock}).
 *
 * <p>The constructor starts, on a worker, the sweep of what a crash may have left (staging
 * folders of unfinished imports, temp files of unfinished writes); every operation waits for it,
 * and {@link #open()} returns it so start-up can wait for it and report a failure.
 */
public final class FileAuthStateStore implements AuthStateStore {

  public static final String SESSIONS_DIR = "auth_sessions";
  public static final String ARCHIVE_DIR = "archive";
  /** An import is copied here first, inside {@link #SESSIONS_DIR}; never read as a session. */
  static final String STAGING_PREFIX = ".import-";

  private static final Logger LOG = LoggerFactory.getLogger(FileAuthStateStore.class);
  private static final long MAX_IMPORT_BYTES = 512L * 1024 * 1024;
  private static final String[] REQUIRED_CREDS =
      {"noiseKey", "signedIdentityKey", "signedPreKey", "registrationId", "advSecretKey"};
  private static final DateTimeFormatter ARCHIVE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH-mm-ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final ObjectReader STRICT_JSON =
      Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Vertx vertx;
  private final Path dataDir;
  private final Path sessionsDir;
  private final Path archiveDir;
  private final Clock clock;
  private final Future<Void> opened;
  /** The writer of each org's current session run, and the org's last epoch. */
  private final ConcurrentMap<String, FileWriter> writers = new ConcurrentHashMap<>();
  /** The last operation queued per org; the next one starts when it ends. */
  private final ConcurrentMap<String, Future<?>> tails = new ConcurrentHashMap<>();

  public FileAuthStateStore(Vertx vertx, Path dataDir, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.sessionsDir = this.dataDir.resolve(SESSIONS_DIR);
    this.archiveDir = this.dataDir.resolve(ARCHIVE_DIR);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.opened = vertx.executeBlocking(() -> {
      try {
        sweep();
      } catch (IOException e) {
        LOG.error("cannot use the data dir {}", this.dataDir, e);
        throw new AuthStateException(Kind.STORAGE, "cannot use the data dir " + this.dataDir
            + " for auth state: " + e.getMessage(), e);
      }
      return null;
    }, false);
  }

  /** Completes when the leftovers of a crash are swept; fails when the data dir is unusable. */
  public Future<Void> open() {
    return opened;
  }

  @Override
  public Future<Void> probe() {
    return opened.compose(v -> vertx.executeBlocking(() -> {
      byte[] written = ("ready " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
      Path probe = sessionsDir.resolve(".ready-probe-" + UUID.randomUUID());
      try {
        Files.write(probe, written, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        if (!Arrays.equals(written, Files.readAllBytes(probe))) {
          throw new IOException("the probe read back differs from what was written");
        }
      } catch (IOException e) {
        throw new AuthStateException(Kind.STORAGE, "cannot write in " + sessionsDir + ": "
            + e.getMessage(), e);
      } finally {
        try {
          Files.deleteIfExists(probe);
        } catch (IOException e) {
          LOG.warn("the readiness probe {} could not be deleted: {}", probe, e.toString());
        }
      }
      return null;
    }, false));
  }

  @Override
  public Future<JsonObject> readCreds(String org) {
    return withOrg(org, "read the credentials", dir -> {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(dir.resolve(KeyFileNames.CREDS));
      } catch (NoSuchFileException e) {
        return null;
      }
      try {
        return new JsonObject(Buffer.buffer(bytes));
      } catch (DecodeException | ClassCastException e) {
        throw new AuthStateException(Kind.STORAGE,
            "creds.json of organization " + org + " is not a JSON object");
      }
    });
  }

  @Override
  public Future<Void> writeCreds(String org, JsonObject creds) {
    return writeCreds(org, creds, null);
  }

  private Future<Void> writeCreds(String org, JsonObject creds, FileWriter writer) {
    if (creds == null) {
      return Future.failedFuture(new IllegalArgumentException("creds must not be null"));
    }
    byte[] bytes = creds.encode().getBytes(StandardCharsets.UTF_8);
    return withOrg(org, "write the credentials", dir -> {
      if (writer != null) {
        writer.check();
      }
      AtomicFiles.write(dir.resolve(KeyFileNames.CREDS), bytes);
      return null;
    });
  }

  @Override
  public Future<AuthStateWriter> openWriter(String org) {
    try {
      OrgId.require(org);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    FileWriter opened = writers.compute(org, (k, previous) -> {
      if (previous != null) {
        previous.revoke();
      }
      return new FileWriter(org, previous == null ? 1 : previous.epoch + 1);
    });
    return Future.succeededFuture(opened);
  }

  /** One run's writes: checked for revocation on the worker, in the org's order of operations. */
  private final class FileWriter implements AuthStateWriter {
    private final String org;
    private final long epoch;
    private volatile boolean revoked;

    FileWriter(String org, long epoch) {
      this.org = org;
      this.epoch = epoch;
    }

    @Override
    public String org() {
      return org;
    }

    @Override
    public long epoch() {
      return epoch;
    }

    @Override
    public Future<Void> writeCreds(JsonObject creds) {
      return FileAuthStateStore.this.writeCreds(org, creds, this);
    }

    @Override
    public Future<Void> setKeys(Map<String, Map<String, String>> batch) {
      return FileAuthStateStore.this.setKeys(org, batch, this);
    }

    @Override
    public void revoke() {
      revoked = true;
    }

    @Override
    public boolean isRevoked() {
      return revoked;
    }

    void check() {
      if (revoked) {
        throw new AuthStateException(Kind.REVOKED, "the session run of organization " + org
            + " (epoch " + epoch + ") is over; nothing was written");
      }
    }
  }

  @Override
  public Future<Map<String, String>> getKeys(String org, String type, Collection<String> ids) {
    Map<String, String> files = new LinkedHashMap<>();
    try {
      OrgId.require(org);
      for (String id : Objects.requireNonNull(ids, "ids")) {
        files.put(id, KeyFileNames.fileName(type, id));
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      return Future.failedFuture(badInput(e));
    }
    return withOrg(org, "read keys", dir -> {
      Map<String, String> values = new LinkedHashMap<>();
      for (Map.Entry<String, String> file : files.entrySet()) {
        try {
          values.put(file.getKey(),
              new String(Files.readAllBytes(dir.resolve(file.getValue())), StandardCharsets.UTF_8));
        } catch (NoSuchFileException absent) {
          // no value: absent from the answer, as in Baileys
        }
      }
      return values;
    });
  }

  @Override
  public Future<Void> setKeys(String org, Map<String, Map<String, String>> batch) {
    return setKeys(org, batch, null);
  }

  private Future<Void> setKeys(String org, Map<String, Map<String, String>> batch,
      FileWriter writer) {
    // Names checked and values copied up front, their JSON checked on the worker (not the event
    // loop): a bad value fails the batch before anything is written.
    Map<String, byte[]> writes = new LinkedHashMap<>();
    try {
      OrgId.require(org);
      for (Map.Entry<String, Map<String, String>> byType : Objects.requireNonNull(batch, "batch")
          .entrySet()) {
        Map<String, String> values = Objects.requireNonNull(byType.getValue(), "values");
        for (Map.Entry<String, String> key : values.entrySet()) {
          String name = KeyFileNames.fileName(byType.getKey(), key.getKey());
          String value = key.getValue();
          writes.put(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      return Future.failedFuture(badInput(e));
    }
    return withOrg(org, "write keys", dir -> {
      if (writer != null) {
        writer.check();
      }
      for (Map.Entry<String, byte[]> write : writes.entrySet()) {
        if (write.getValue() != null && !isJson(write.getValue())) {
          throw new IllegalArgumentException("the value of " + printable(write.getKey())
              + " is not valid JSON; nothing was written");
        }
      }
      boolean deleted = false;
      for (Map.Entry<String, byte[]> write : writes.entrySet()) {
        Path file = dir.resolve(write.getKey());
        if (write.getValue() == null) {
          deleted |= Files.deleteIfExists(file);
        } else {
          AtomicFiles.write(file, write.getValue());
        }
      }
      if (deleted) {
        AtomicFiles.fsyncDirectory(dir);
      }
      return null;
    });
  }

  @Override
  public Future<List<String>> keyIds(String org, String type, String idPrefix) {
    try {
      KeyFileNames.requireType(type);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String prefix = idPrefix == null ? "" : idPrefix;
    return withOrg(org, "list keys", dir -> {
      TreeSet<String> ids = new TreeSet<>();
      for (Path file : storedFiles(dir)) {
        String name = file.getFileName().toString();
        if (KeyFileNames.isKeyOf(type, name)) {
          String id = KeyFileNames.unescape(type, KeyFileNames.escapedIdOf(type, name));
          if (id.startsWith(prefix)) {
            ids.add(id);
          }
        }
      }
      return List.copyOf(ids);
    });
  }

  @Override
  public Future<String> clear(String org, String reason) {
    if (OrgId.isValid(org)) {
      FileWriter current = writers.get(org);
      if (current != null) {
        current.revoke();
      }
    }
    return withOrg(org, "clear the auth state", dir -> {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      if (storedFiles(dir).isEmpty()) {
        deleteTree(dir);
        return null;
      }
      Path target = archiveTarget(org);
      AtomicFiles.move(dir, target);
      String where = dataDir.relativize(target).toString().replace('\\', '/');
      OrgMdc.run(org, () ->
          LOG.info("auth state of org {} archived to {} ({})", org, where, printable(reason)));
      return where;
    });
  }

  @Override
  public Future<Integer> purgeArchives(Instant olderThan) {
    return opened.transform(ignored -> vertx.executeBlocking(() -> {
      int purged = 0;
      if (!Files.isDirectory(archiveDir, LinkOption.NOFOLLOW_LINKS)) {
        return 0;
      }
      try (DirectoryStream<Path> orgs = Files.newDirectoryStream(archiveDir)) {
        for (Path orgDir : orgs) {
          String org = orgDir.getFileName().toString();
          if (!OrgId.isValid(org) || !Files.isDirectory(orgDir, LinkOption.NOFOLLOW_LINKS)) {
            continue;
          }
          try (DirectoryStream<Path> times = Files.newDirectoryStream(orgDir)) {
            for (Path archived : times) {
              Instant at = archivedAt(archived.getFileName().toString());
              if (at != null && at.isBefore(olderThan)
                  && Files.isDirectory(archived, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(archived);
                purged++;
                OrgMdc.run(org, () -> LOG.info("archive {} of org {} purged (older than {})",
                    archived.getFileName(), org, olderThan));
              }
            }
          }
        }
      } catch (IOException e) {
        throw storageFailure("purge the old archives", "all", e);
      }
      return purged;
    }, false));
  }

  /** The time in an archive folder's name ({@code 2026-11-28T08-45-00.000Z[-n]}), or null. */
  private static Instant archivedAt(String name) {
    String time = name.length() > 24 ? name.substring(0, 24) : name;
    try {
      return ARCHIVE_TIME.parse(time, Instant::from);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  @Override
  public Future<List<StoredSession>> list() {
    return opened.transform(ignored -> vertx.executeBlocking(() -> {
      List<StoredSession> sessions = new ArrayList<>();
      try (DirectoryStream<Path> orgs = Files.newDirectoryStream(sessionsDir)) {
        for (Path dir : orgs) {
          String org = dir.getFileName().toString();
          if (OrgId.isValid(org) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            describe(org, dir).ifPresent(sessions::add);
          }
        }
      } catch (NoSuchFileException e) {
        return List.<StoredSession>of();
      } catch (IOException e) {
        throw storageFailure("list the stored sessions", "all", e);
      }
      sessions.sort((a, b) -> a.org().compareTo(b.org()));
      return sessions;
    }, false));
  }

  @Override
  public Future<ImportReport> importBaileysFolder(String org, Path folder) {
    if (folder == null) {
      return Future.failedFuture(new IllegalArgumentException("no folder to import"));
    }
    return withOrg(org, "import the auth folder", dir -> {
      if (!storedFiles(dir).isEmpty()) {
        throw new AuthStateException(Kind.CONFLICT, "organization " + org
            + " already has auth state; clear it before importing; nothing was imported");
      }
      Map<String, byte[]> files = readBaileysFolder(folder);
      Path staging = sessionsDir.resolve(STAGING_PREFIX + org + "-" + UUID.randomUUID());
      try {
        copyInto(staging, files);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
          deleteTree(dir); // an org folder without stored files (only temp leftovers)
        }
        AtomicFiles.move(staging, dir);
      } catch (IOException | RuntimeException e) {
        deleteQuietly(staging);
        throw e;
      }
      Map<String, Integer> byType = new TreeMap<>();
      for (String name : files.keySet()) {
        String type = KeyFileNames.CREDS.equals(name) ? "creds" : KeyFileNames.knownTypeOf(name);
        byType.merge(type, 1, Integer::sum);
      }
      OrgMdc.run(org, () -> LOG.info("imported {} files into the auth state of org {}: {}",
          files.size(), org, byType));
      return new ImportReport(org, files.size(), byType);
    });
  }

  // --- import -------------------------------------------------------------------------------

  /** Reads and checks every file of a Baileys folder; throws naming the first bad file. */
  private static Map<String, byte[]> readBaileysFolder(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw refused(printable(folder.toString()) + " is not a folder");
    }
    Map<String, byte[]> files = new TreeMap<>();
    long total = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          throw refused("'" + printable(name) + "' is not a plain file; a Baileys auth folder"
              + " holds only creds.json and <type>-<id>.json files");
        }
        checkName(name);
        byte[] bytes = Files.readAllBytes(entry);
        total += bytes.length;
        if (total > MAX_IMPORT_BYTES) {
          throw refused("the folder holds more than " + (MAX_IMPORT_BYTES >> 20) + " MiB");
        }
        if (!isJson(bytes)) {
          throw refused(printable(name) + " is not valid JSON (corrupt or truncated)");
        }
        files.put(name, bytes);
      }
    }
    byte[] creds = files.get(KeyFileNames.CREDS);
    if (creds == null) {
      throw refused("creds.json is missing: not a Baileys auth folder");
    }
    checkCreds(creds);
    return files;
  }

  private static void checkName(String name) {
    if (KeyFileNames.CREDS.equals(name)) {
      return;
    }
    String type = KeyFileNames.knownTypeOf(name);
    if (type == null) {
      throw refused("unexpected file '" + printable(name) + "'; a Baileys auth folder holds"
          + " creds.json and <type>-<id>.json files of the types " + KeyFileNames.KNOWN_TYPES);
    }
    String id = KeyFileNames.unescape(type, KeyFileNames.escapedIdOf(type, name));
    try {
      if (!KeyFileNames.fileName(type, id).equals(name)) {
        throw new IllegalArgumentException("not a name Baileys writes");
      }
    } catch (IllegalArgumentException e) {
      throw refused("unexpected file name '" + printable(name) + "' (" + e.getMessage() + ")");
    }
  }

  private static void checkCreds(byte[] bytes) {
    JsonObject creds;
    try {
      creds = new JsonObject(Buffer.buffer(bytes));
    } catch (DecodeException | ClassCastException e) {
      throw refused("creds.json is not a JSON object");
    }
    List<String> missing = new ArrayList<>();
    for (String field : REQUIRED_CREDS) {
      if (creds.getValue(field) == null) {
        missing.add(field);
      }
    }
    if (!missing.isEmpty()) {
      throw refused("creds.json lacks " + String.join(", ", missing));
    }
    if (!(creds.getValue("noiseKey") instanceof JsonObject)
        || !(creds.getValue("signedIdentityKey") instanceof JsonObject)
        || !(creds.getValue("registrationId") instanceof Number)
        || !(creds.getValue("advSecretKey") instanceof String)) {
      throw refused("creds.json has noiseKey, signedIdentityKey, registrationId or advSecretKey"
          + " of the wrong kind");
    }
  }

  private static AuthStateException refused(String why) {
    return new AuthStateException(Kind.INVALID, "import refused: " + why + "; nothing was imported");
  }

  /** Writes every file into a new staging folder and makes it durable before it is renamed. */
  private static void copyInto(Path staging, Map<String, byte[]> files) throws IOException {
    Files.createDirectories(staging);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      try (FileChannel ch = FileChannel.open(staging.resolve(file.getKey()),
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(file.getValue());
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
    }
    AtomicFiles.fsyncDirectory(staging);
  }

  // --- files --------------------------------------------------------------------------------

  private Path archiveTarget(String org) {
    String time = ARCHIVE_TIME.format(clock.instant());
    Path target = archiveDir.resolve(org).resolve(time);
    for (int n = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++) {
      target = archiveDir.resolve(org).resolve(time + "-" + n);
    }
    return target;
  }

  private static java.util.Optional<StoredSession> describe(String org, Path dir) {
    Instant last = null;
    boolean creds = false;
    try {
      for (Path file : storedFiles(dir)) {
        try {
          Instant written = Files.getLastModifiedTime(file).toInstant();
          last = last == null || written.isAfter(last) ? written : last;
          creds |= KeyFileNames.CREDS.equals(file.getFileName().toString());
        } catch (NoSuchFileException gone) {
          // deleted while we looked
        }
      }
    } catch (IOException gone) {
      return java.util.Optional.empty(); // cleared while we looked
    }
    return last == null ? java.util.Optional.empty()
        : java.util.Optional.of(new StoredSession(org, last, creds));
  }

  /** The org's stored files: temp files of unfinished writes are not part of the state. */
  private static List<Path> storedFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return files;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (!AtomicFiles.isTemp(entry) && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          files.add(entry);
        }
      }
    } catch (NoSuchFileException gone) {
      return List.of();
    }
    return files;
  }

  /** Removes what a crash may have left: unfinished imports and temp files. */
  private void sweep() throws IOException {
    ownerOnly(Files.createDirectories(sessionsDir));
    ownerOnly(Files.createDirectories(archiveDir));
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(sessionsDir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        try {
          if (name.startsWith(STAGING_PREFIX)) {
            deleteTree(entry);
            LOG.warn("removed the unfinished import {} (the process stopped during an import)",
                printable(name));
          } else if (AtomicFiles.isTemp(entry)) {
            Files.deleteIfExists(entry);
          } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            sweepTempFiles(entry);
          }
        } catch (IOException e) {
          LOG.warn("could not sweep {}: {}", entry, e.toString());
        }
      }
    }
  }

  /** Credentials are secrets: only the owner may enter the folders that hold them. */
  private static void ownerOnly(Path dir) throws IOException {
    if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  private static void sweepTempFiles(Path dir) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (AtomicFiles.isTemp(entry) && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(entry);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void deleteQuietly(Path root) {
    try {
      deleteTree(root);
    } catch (IOException e) {
      LOG.warn("could not remove {}; it is swept on the next start: {}", root, e.toString());
    }
  }

  // --- ordering and errors ------------------------------------------------------------------

  private interface OrgWork<T> {
    T run(Path orgDir) throws IOException;
  }

  /** Runs {@code work} on a worker after every earlier operation of the same org. */
  private <T> Future<T> withOrg(String org, String what, OrgWork<T> work) {
    try {
      OrgId.require(org); // before any path is built from it
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Path dir = sessionsDir.resolve(org);
    return inOrder(org, () -> {
      try {
        return work.run(dir);
      } catch (IOException e) {
        throw storageFailure(what, org, e);
      }
    });
  }

  private <T> Future<T> inOrder(String org, Callable<T> work) {
    List<Future<T>> queued = new ArrayList<>(1);
    tails.compute(org, (key, tail) -> {
      Future<?> previous = tail == null ? opened : tail;
      Future<T> next = previous.transform(ignored -> vertx.executeBlocking(work, false));
      queued.add(next);
      return next;
    });
    Future<T> next = queued.get(0);
    next.onComplete(ignored -> tails.remove(org, next));
    return next;
  }

  private static AuthStateException storageFailure(String what, String org, IOException e) {
    // "all" is an operation over every org, not one org
    OrgMdc.run("all".equals(org) ? null : org,
        () -> LOG.error("could not {} of org {}", what, org, e));
    return new AuthStateException(Kind.STORAGE,
        "could not " + what + " of organization " + org + " (storage error; see the log)", e);
  }

  private static IllegalArgumentException badInput(RuntimeException e) {
    return e instanceof IllegalArgumentException iae ? iae
        : new IllegalArgumentException("missing " + e.getMessage());
  }

  private static boolean isJson(byte[] bytes) {
    try {
      JsonNode node = STRICT_JSON.readTree(bytes);
      return node != null && !node.isMissingNode();
    } catch (IOException e) {
      return false;
    }
  }

  /** A name or reason safe to put in a message or a log line. */
  private static String printable(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
    text.codePoints().limit(200)
        .forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }
}
