package dev.vigia.monitor.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.monitor.SystemHealth;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code df -h} and "check the network" as checks, on the real file system and real sockets on
 * 127.0.0.1 (never WhatsApp's servers).
 */
@Timeout(30)
class MachineChecksTest {

  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir
  Path data;

  static VigiaConfig.Checks checks(String percent, String mb) {
    return VigiaConfig.fromMap(Map.of("VIGIA_DISK_WARN_PERCENT", percent,
        "VIGIA_DISK_WARN_MB", mb)).checks();
  }

  @Test
  void theDiskOfTheDataDirIsMeasuredWithTheDataDirsOwnSize() throws IOException {
    Files.write(data.resolve("journal.jsonl"), new byte[3000]);
    Files.createDirectories(data.resolve("auth_sessions/2"));
    Files.write(data.resolve("auth_sessions/2/creds.json"), new byte[1000]);

    SystemHealth.Disk disk = new DiskCheck(data, checks("0", "0")).run(true, null, NOW);
    assertEquals(SystemHealth.UP, disk.status(), disk.detail());
    assertEquals(4000L, disk.dataBytes());
    assertTrue(disk.freeBytes() > 0 && disk.totalBytes() >= disk.freeBytes());
    assertEquals(data.toAbsolutePath().toString(), disk.path());
    assertTrue(disk.detail().contains("the data dir holds 3.9 KiB"), disk.detail());
    // not measured this time: the size known from before stays
    assertEquals(123L, new DiskCheck(data, checks("0", "0")).run(false, 123L, NOW).dataBytes());
  }

  @Test
  void aLargeDataDirIsMeasuredABoundedStepAtATimeAndOnlyAWholeCountIsReported() throws IOException {
    // issue 7: one walk of 350,000 files held the checks' worker 11 s; now each check walks at
    // most a step, and the size reported is the last finished walk's
    long expected = 0;
    for (int org = 0; org < 6; org++) {
      Path dir = Files.createDirectories(data.resolve("auth_sessions/" + org));
      for (int k = 0; k < 10; k++) {
        Files.write(dir.resolve("pre-key-" + k + ".json"), new byte[100 + k]);
        expected += 100 + k;
      }
    }
    DiskCheck check = new DiskCheck(data, checks("0", "0"), 20);

    SystemHealth.Disk first = check.run(true, 7L, NOW);
    assertEquals(7L, first.dataBytes(), "a walk not finished yet keeps the size known before");
    Long size = first.dataBytes();
    int runs = 1;
    while (size == 7L && runs < 100) {
      size = check.run(false, size, NOW).dataBytes();
      runs++;
    }
    assertEquals(expected, size);
    // 6 folders of 10 files, plus auth_sessions: 67 entries at most 20 a step
    assertTrue(runs >= 4, "walked in " + runs + " step(s)");
    // the next walk starts from nothing, not from the last total
    Files.write(data.resolve("journal.jsonl"), new byte[1000]);
    size = check.run(true, size, NOW).dataBytes();
    for (int i = 0; i < 100 && size != expected + 1000; i++) {
      size = check.run(false, size, NOW).dataBytes();
    }
    assertEquals(expected + 1000, size);
  }

  @Test
  void freeSpaceUnderTheThresholdWarnsAndSaysWhatToDo() {
    // 100,000,000 MiB (95 TiB): more than any test machine has free
    SystemHealth.Disk disk = new DiskCheck(data, checks("0", "100000000")).run(false, null, NOW);
    assertEquals(SystemHealth.WARN, disk.status());
    assertEquals(100_000_000L << 20, disk.warnBelowBytes());
    assertTrue(disk.detail().startsWith("low disk space"), disk.detail());
    assertTrue(disk.detail().contains("free space on this disk"), disk.detail());
  }

  @Test
  void aDataDirNotMadeYetIsMeasuredOnTheDiskItWillBeOn() {
    SystemHealth.Disk disk = new DiskCheck(data.resolve("not/yet"), checks("0", "0"))
        .run(true, null, NOW);
    assertEquals(SystemHealth.UP, disk.status(), disk.detail());
    assertEquals(0L, disk.dataBytes());
  }

  @Test
  void anAddressThatAcceptsAConnectionIsUp() throws IOException {
    try (ServerSocket whatsApp = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      SystemHealth.Network n = new NetworkCheck("127.0.0.1", whatsApp.getLocalPort(), 2000)
          .run(NOW);
      assertEquals(SystemHealth.UP, n.status(), n.detail());
      assertEquals("127.0.0.1:" + whatsApp.getLocalPort(), n.target());
      assertNotNull(n.millis());
    }
  }

  @Test
  void aRefusedConnectionAndANameThatDoesNotResolveAreDownWithWhatFailed() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    SystemHealth.Network refused = new NetworkCheck("127.0.0.1", closed, 2000).run(NOW);
    assertEquals(SystemHealth.DOWN, refused.status());
    assertTrue(refused.detail().contains("does not accept a connection on port " + closed),
        refused.detail());

    // .invalid never resolves (RFC 2606): the lookup fails wherever the test runs
    SystemHealth.Network unknown = new NetworkCheck("web.whatsapp.invalid", 443, 2000).run(NOW);
    assertEquals(SystemHealth.DOWN, unknown.status());
    assertTrue(unknown.detail().startsWith("cannot resolve web.whatsapp.invalid"), unknown.detail());

    SystemHealth.Network off = new NetworkCheck(null, 0, 2000).run(NOW);
    assertEquals(SystemHealth.UNKNOWN, off.status());
  }
}
