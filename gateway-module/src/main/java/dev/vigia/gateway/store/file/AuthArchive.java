package dev.vigia.gateway.store.file;

import dev.vigia.common.OrgId;
import dev.vigia.common.gateway.ArchivedState;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.gateway.store.AuthStateException;
import dev.vigia.gateway.store.AuthStateException.Kind;
import dev.vigia.gateway.store.LinkedLogin;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleared auth states: {@code archive/<org>/<UTC time>/}, each a whole org folder moved there in
 * one rename (so it stays a Baileys folder), and beside it {@code <UTC time>.json} with the reason
 * and who asked. Restored by the reverse rename; purged after {@code archiveDays}. Blocking.
 */
final class AuthArchive {

  static final String DIR = "archive";
  /** The note beside an archive folder: {@code {"reason": …, "actor": …}}. */
  static final String NOTE_SUFFIX = ".json";
  private static final Logger LOG = LoggerFactory.getLogger(AuthArchive.class);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH-mm-ss.SSS'Z'").withZone(ZoneOffset.UTC);
  /** An archive's id is its folder's name: the time, and {@code -n} for a later clear in the same ms. */
  private static final Pattern ID =
      Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}\\.[0-9]{3}Z(-[0-9]{1,9})?$");
  /** creds.json and a note are a few KB; anything larger is not one Vigía or Baileys wrote. */
  private static final long MAX_JSON_BYTES = 1024 * 1024;

  private final Path dataDir;
  private final Path archiveDir;
  private final Clock clock;

  AuthArchive(Path dataDir, Clock clock) {
    this.dataDir = dataDir;
    this.archiveDir = dataDir.resolve(DIR);
    this.clock = clock;
  }

  Path dir() {
    return archiveDir;
  }

  /**
   * Moves {@code orgDir} to a new archive folder, its note written first (a crash between leaves
   * a note without a folder, which nothing lists); returns it relative to the data dir.
   */
  String archive(String org, Path orgDir, String reason, String actor) throws IOException {
    String time = TIME.format(clock.instant());
    String id = time;
    for (int n = 1; taken(org, id); n++) {
      id = time + "-" + n; // never over an earlier archive
    }
    Path target = archiveDir.resolve(org).resolve(id);
    Path note = note(org, id);
    JsonObject noted = new JsonObject().put("reason", reason).put("actor", actor);
    Files.createDirectories(note.getParent());
    AtomicFiles.write(note, noted.encode().getBytes(StandardCharsets.UTF_8));
    try {
      AtomicFiles.move(orgDir, target);
    } catch (IOException e) {
      Files.deleteIfExists(note);
      throw e;
    }
    return dataDir.relativize(target).toString().replace('\\', '/');
  }

  private boolean taken(String org, String id) {
    return Files.exists(archiveDir.resolve(org).resolve(id), LinkOption.NOFOLLOW_LINKS)
        || Files.exists(note(org, id), LinkOption.NOFOLLOW_LINKS);
  }

  /** The org's archives, newest first; a folder without its note lists with its time only. */
  List<ArchivedState> list(String org) throws IOException {
    Path orgArchive = archiveDir.resolve(org);
    List<ArchivedState> found = new ArrayList<>();
    if (!Files.isDirectory(orgArchive, LinkOption.NOFOLLOW_LINKS)) {
      return found;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(orgArchive)) {
      for (Path entry : entries) {
        String id = entry.getFileName().toString();
        if (isId(id) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          found.add(describe(org, id, entry));
        }
      }
    }
    found.sort(Comparator.comparing(ArchivedState::archivedAt).thenComparing(ArchivedState::id,
        Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()))
        .reversed());
    return found;
  }

  /**
   * Renames archive {@code id} to {@code orgDir} (which must not exist), then drops its note;
   * returns the archive as it was listed.
   */
  ArchivedState restore(String org, String id, Path orgDir) throws IOException {
    Path archived = folder(org, id);
    ArchivedState state = describe(org, id, archived);
    AtomicFiles.move(archived, orgDir);
    try {
      Files.deleteIfExists(note(org, id));
    } catch (IOException e) {
      // the folder is back already; a note without a folder is never listed, and purged later
      OrgMdc.run(org, () -> LOG.warn("the note of restored archive {} could not be removed: {}",
          id, e.toString()));
    }
    return state;
  }

  /** The folder of archive {@code id} of the org; a bad id never reaches a path. */
  Path folder(String org, String id) {
    if (!isId(id)) {
      throw new IllegalArgumentException("invalid archive id: the file store names archives by"
          + " their UTC time, e.g. 2026-11-28T08-45-00.000Z");
    }
    Path archived = archiveDir.resolve(org).resolve(id);
    if (!Files.isDirectory(archived, LinkOption.NOFOLLOW_LINKS)) {
      throw new AuthStateException(Kind.NOT_FOUND, "organization " + org + " has no archive "
          + id + " (restored or purged already?)");
    }
    return archived;
  }

  static boolean isId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  private Path note(String org, String id) {
    return archiveDir.resolve(org).resolve(id + NOTE_SUFFIX);
  }

  private ArchivedState describe(String org, String id, Path folder) {
    JsonObject note = readJson(note(org, id), "the note of archive " + id, org);
    JsonObject creds = readJson(folder.resolve(KeyFileNames.CREDS), "creds.json of archive " + id,
        org);
    return new ArchivedState(id, archivedAt(id),
        note == null || !(note.getValue("reason") instanceof String r) ? null : r,
        note == null || !(note.getValue("actor") instanceof String a) ? null : a,
        LinkedLogin.isLinked(creds), LinkedLogin.phone(creds));
  }

  /** A small JSON object file, or null when it is missing or is not one (said in the log). */
  private static JsonObject readJson(Path file, String what, String org) {
    try {
      if (Files.size(file) > MAX_JSON_BYTES) {
        OrgMdc.run(org, () -> LOG.warn("{} is too large to be read; listed without it", what));
        return null;
      }
      return new JsonObject(Buffer.buffer(Files.readAllBytes(file)));
    } catch (NoSuchFileException missing) {
      return null;
    } catch (IOException | RuntimeException e) {
      OrgMdc.run(org, () -> LOG.warn("{} could not be read; listed without it: {}", what,
          e.getClass().getSimpleName()));
      return null;
    }
  }

  /** Deletes the archives made before {@code olderThan}, with their notes; returns how many went. */
  int purge(Instant olderThan) throws IOException {
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
            String name = archived.getFileName().toString();
            Instant at = archivedAt(name);
            if (at == null || !at.isBefore(olderThan)) {
              continue;
            }
            if (Files.isDirectory(archived, LinkOption.NOFOLLOW_LINKS)) {
              OrgFolders.deleteTree(archived);
              Files.deleteIfExists(note(org, name));
              purged++;
              OrgMdc.run(org, () -> LOG.info("archive {} of org {} purged (older than {})",
                  name, org, olderThan));
            } else if (name.endsWith(NOTE_SUFFIX) && !Files.exists(orgDir.resolve(
                name.substring(0, name.length() - NOTE_SUFFIX.length())),
                LinkOption.NOFOLLOW_LINKS)) {
              Files.deleteIfExists(archived); // a note left by a crash or a restore
            }
          }
        }
      }
    }
    return purged;
  }

  /** The time in an archive folder's name ({@code 2026-11-28T08-45-00.000Z[-n]}), or null. */
  private static Instant archivedAt(String name) {
    String time = name.length() > 24 ? name.substring(0, 24) : name;
    try {
      return TIME.parse(time, Instant::from);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
