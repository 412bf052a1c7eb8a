package dev.vigia.monitor.system;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.monitor.SystemHealth;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code df -h} for the data dir: the free and total space of its file system, the bytes the
 * data dir holds, and a status against the warning threshold ({@code VIGIA_DISK_WARN_*}).
 * Blocking (file-system calls, a step of a walk of the data dir): run it on a worker, one run at
 * a time.
 */
public final class DiskCheck {

  /**
   * Under this much free space the disk counts as full: the auth-state log's next 4 MiB segment
   * no longer fits, so session writes fail.
   */
  public static final long FULL_BELOW_BYTES = 4L << 20;

  private final Path dataDir;
  private final VigiaConfig.Checks settings;
  private final DataDirSize size;

  public DiskCheck(Path dataDir, VigiaConfig.Checks settings) {
    this(dataDir, settings, DataDirSize.ENTRIES_PER_STEP);
  }

  DiskCheck(Path dataDir, VigiaConfig.Checks settings, int entriesPerStep) {
    this.dataDir = dataDir;
    this.settings = settings;
    this.size = new DataDirSize(dataDir, entriesPerStep);
  }

  /**
   * The disk now. {@code measureData} starts a walk of every file under the data dir (unless one
   * is under way); a walk goes on a bounded step at every run, and its total becomes
   * {@code dataBytes} once it is finished; until then {@code knownDataBytes} is kept.
   */
  public SystemHealth.Disk run(boolean measureData, Long knownDataBytes, Instant now) {
    String path = dataDir.toAbsolutePath().toString();
    long free;
    long total;
    try {
      FileStore store = Files.getFileStore(existing(dataDir));
      free = store.getUsableSpace();
      total = store.getTotalSpace();
    } catch (IOException | RuntimeException e) {
      return new SystemHealth.Disk(SystemHealth.DOWN, path, null, null, knownDataBytes, null,
          "cannot read the disk of " + path + ": " + e.getMessage(), now);
    }
    if (measureData) {
      size.begin();
    }
    Long walked = size.step();
    Long data = walked != null ? walked : knownDataBytes;
    long warnBelow = settings.diskWarnBytes(total);
    String status = free < FULL_BELOW_BYTES ? SystemHealth.DOWN
        : free < warnBelow ? SystemHealth.WARN : SystemHealth.UP;
    return new SystemHealth.Disk(status, path, free, total, data, warnBelow,
        detail(status, free, total, data, warnBelow), now);
  }

  private static String detail(String status, long free, long total, Long data, long warnBelow) {
    String space = bytes(free) + " free of " + bytes(total) + " (" + percent(free, total) + ")"
        + (data == null ? "" : "; the data dir holds " + bytes(data));
    return switch (status) {
      case SystemHealth.DOWN -> "the disk is full: " + space + "; writes fail until space is freed";
      case SystemHealth.WARN -> "low disk space: " + space + ", under the warning threshold of "
          + bytes(warnBelow) + "; free space on this disk";
      default -> space;
    };
  }

  /** The data dir, or the nearest folder above it that exists (before the first start). */
  private static Path existing(Path dir) {
    Path p = dir.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? dir.toAbsolutePath().getRoot() : p;
  }

  /** {@code 1.5 GiB}, {@code 820.0 MiB}, {@code 12 B}. */
  public static String bytes(long n) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private static String percent(long part, long whole) {
    return whole <= 0 ? "?" : String.format(Locale.ROOT, "%.0f %%", 100.0 * part / whole);
  }
}
