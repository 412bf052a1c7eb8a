package dev.vigia.app;

import dev.vigia.common.Json;
import dev.vigia.common.journal.JournalEntry;
import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.dashboard.account.ApiKey;
import dev.vigia.dashboard.account.Org;
import dev.vigia.dashboard.account.User;
import dev.vigia.gateway.session.FileSessionRecordStore;
import dev.vigia.gateway.session.SessionRecord;
import dev.vigia.gateway.store.file.BaileysFolder;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import dev.vigia.monitor.stats.DailyStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads one org of a file data dir as an {@link OrgCopy}, after the file store's own recovery
 * ran (its log replayed into the key files, the stats log folded): the auth folder and its
 * archives as their files' text (strict UTF-8, so it reads back byte for byte), the session
 * record and journal lines as the PostgreSQL stores write them, the stats and account as loaded.
 * Blocking.
 */
final class FileStoreReader {

  /** The archive folders' names: {@code 2026-11-28T08-45-00.000Z[-n]}. */
  private static final DateTimeFormatter ARCHIVE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH-mm-ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path data;
  private final Map<String, DailyStats> stats;
  private final Map<String, Org> orgs;
  private final Map<String, List<ApiKey>> apiKeys;
  private final List<User> users;

  FileStoreReader(Path data, Map<String, DailyStats> stats, Map<String, Org> orgs,
      Map<String, List<ApiKey>> apiKeys, List<User> users) {
    this.data = data;
    this.stats = stats;
    this.orgs = orgs;
    this.apiKeys = apiKeys;
    this.users = users;
  }

  /** The users an org's membership rows name (operators of the org; admins see every org). */
  List<User> members(String org) {
    return users.stream().filter(u -> u.orgs().contains(org)).toList();
  }

  OrgCopy read(String org) throws IOException {
    Folder live = folder(data.resolve(FileAuthStateStore.SESSIONS_DIR).resolve(org));
    List<OrgCopy.Archived> archives = new ArrayList<>();
    Path archiveDir = data.resolve(FileAuthStateStore.ARCHIVE_DIR).resolve(org);
    if (Files.isDirectory(archiveDir, LinkOption.NOFOLLOW_LINKS)) {
      List<Path> dirs = new ArrayList<>();
      try (DirectoryStream<Path> all = Files.newDirectoryStream(archiveDir)) {
        all.forEach(dirs::add);
      }
      dirs.sort(null); // the names are times: oldest first
      for (Path dir : dirs) {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          Folder f = folder(dir);
          archives.add(new OrgCopy.Archived(archivedAt(dir), f.creds, f.keys));
        }
      }
    }
    Org account = orgs.get(org);
    List<String> keys = new ArrayList<>();
    for (ApiKey k : apiKeys.getOrDefault(org, List.of())) {
      keys.add(OrgCopy.apiKeyLine(k.id(), k.hash(), k.createdAt(), k.label()));
    }
    keys.sort(null);
    return new OrgCopy(org, live.creds, live.keys, archives, record(org), journal(org),
        stats(org), account == null ? null : OrgCopy.accountLine(account.name(),
            account.alertEmails(), account.webhookUrl(), account.language(),
            members(org).stream().map(User::username).toList()), keys);
  }

  private record Folder(String creds, SortedMap<String, String> keys) {}

  /** A Baileys folder's creds and keys; temp files a crash left are not data. */
  private static Folder folder(Path dir) throws IOException {
    String creds = null;
    SortedMap<String, String> keys = new TreeMap<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return new Folder(null, keys);
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (AtomicFiles.isTemp(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (!BaileysFolder.isJson(bytes)) {
          throw new IOException(file + " is not valid JSON (corrupt or truncated); nothing of"
              + " org " + dir.getFileName() + " was copied");
        }
        String text = utf8(file, bytes);
        BaileysFolder.Key key;
        try {
          key = BaileysFolder.keyOf(name);
        } catch (IllegalArgumentException e) {
          throw new IOException(file + " is not a Baileys key file; move it away and run again");
        }
        if (key == null) {
          creds = text;
        } else {
          keys.put(OrgCopy.keyOf(key.type(), key.id()), text);
        }
      }
    }
    return new Folder(creds, keys);
  }

  private static String utf8(Path file, byte[] bytes) throws IOException {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException(file + " is not UTF-8 text");
    }
  }

  /** The time in the archive folder's name, else its modification time. */
  private static Instant archivedAt(Path dir) throws IOException {
    String name = dir.getFileName().toString();
    try {
      return ARCHIVE_TIME.parse(name.length() > 24 ? name.substring(0, 24) : name, Instant::from);
    } catch (DateTimeParseException e) {
      return Files.getLastModifiedTime(dir).toInstant().truncatedTo(ChronoUnit.MICROS);
    }
  }

  /** The record as {@code PgSessionRecordStore} writes it, or null. */
  private String record(String org) throws IOException {
    Path file = data.resolve(FileSessionRecordStore.FOLDER).resolve(org + ".json");
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    SessionRecord record = Json.mapper().readValue(Files.readAllBytes(file), SessionRecord.class);
    return Json.mapper().writeValueAsString(record);
  }

  /** The journal's entries, oldest first, as {@code PgJournal} writes them. */
  private List<String> journal(String org) throws IOException {
    Path file = data.resolve("journal").resolve(org + ".jsonl");
    List<String> lines = new ArrayList<>();
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return lines;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JournalEntry entry;
      try {
        entry = Json.mapper().readValue(line, JournalEntry.class);
      } catch (IOException e) {
        continue; // a line torn by a crash: the file journal skips it too
      }
      lines.add(Json.mapper().writeValueAsString(entry));
    }
    return lines;
  }

  private SortedMap<LocalDate, List<Long>> stats(String org) {
    SortedMap<LocalDate, List<Long>> days = new TreeMap<>();
    DailyStats s = stats.get(org);
    if (s != null) {
      s.snapshot(0).days().forEach((day, c) -> {
        if (c.sent() != 0 || c.failed() != 0 || c.reconnects() != 0) {
          days.put(day, List.of(c.sent(), c.failed(), c.reconnects()));
        }
      });
    }
    return days;
  }
}
