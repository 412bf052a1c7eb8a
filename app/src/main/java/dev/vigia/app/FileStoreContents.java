package dev.vigia.app;

import dev.vigia.common.OrgId;
import dev.vigia.common.storage.AtomicFiles;
import dev.vigia.dashboard.account.FileAccountStore;
import dev.vigia.gateway.session.FileSessionRecordStore;
import dev.vigia.gateway.store.file.FileAuthStateStore;
import dev.vigia.monitor.stats.StatsStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What of the file store's data a data dir holds, by folder: the start with PostgreSQL refuses a
 * data dir that holds any (it would be left behind: every session needing a new QR, the accounts
 * starting over), and {@code migrate-store} copies it and then moves exactly these folders aside.
 * Empty folders and temp files hold nothing. Blocking.
 */
record FileStoreContents(Path dataDir, SortedSet<String> orgs, List<String> folders) {

  /** The file store's folders (and file) under a data dir, in the order they are described. */
  static final List<String> FOLDERS = List.of(FileAuthStateStore.SESSIONS_DIR,
      FileAuthStateStore.ARCHIVE_DIR, "auth_log", FileSessionRecordStore.FOLDER,
      FileSessionRecordStore.LOG_FOLDER, /* FileJournal's folders */ "journal", "journal_log",
      StatsStore.FOLDER, FileAccountStore.FOLDER);

  static FileStoreContents of(Path dataDir) throws IOException {
    SortedSet<String> orgs = new TreeSet<>();
    List<String> folders = new ArrayList<>();
    for (String folder : FOLDERS) {
      Path dir = dataDir.resolve(folder);
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !holdsAFile(dir)) {
        continue;
      }
      folders.add(folder);
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          String org = name.endsWith(".json") ? name.substring(0, name.length() - 5)
              : name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
          if (OrgId.isValid(org) && !folder.endsWith("_log") && !folder.equals(FileAccountStore.FOLDER)
              && (Files.isRegularFile(entry) ? !AtomicFiles.isTemp(entry) : holdsAFile(entry))) {
            orgs.add(org);
          }
        }
      }
    }
    return new FileStoreContents(dataDir, orgs, List.copyOf(folders));
  }

  boolean isEmpty() {
    return folders.isEmpty();
  }

  /** One line: the folders, and the orgs they hold. */
  String describe() {
    return String.join(", ", folders.stream().map(f -> f + "/").toList())
        + (orgs.isEmpty() ? "" : " (org(s) " + String.join(", ", orgs) + ")");
  }

  private static boolean holdsAFile(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.anyMatch(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
          && !AtomicFiles.isTemp(p));
    }
  }
}
