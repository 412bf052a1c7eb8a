package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 §2, the disk ({@code df -h}) through the running app: under the warning threshold it
 * shows in {@code /health/ready}, {@code /metrics} and an alert to the operators' webhook; and a
 * disk that really fills up (a 24 MiB tmpfs, see {@link DiskFullChild}) corrupts no file, makes
 * every failed write visible, and once space is freed Vigía starts on it with every session.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, timeUnit = TimeUnit.SECONDS)
class DiskScenarioTest {

  @TempDir Path data;
  Vigia vigia;
  HttpServer hooks;

  @AfterEach
  void stop() {
    if (vigia != null) {
      vigia.stopAndWait();
    }
    if (hooks != null) {
      ApiClient.await(hooks.close());
    }
  }

  @Test
  void aDiskUnderTheThresholdIsInReadinessTheMetricsAndAnAlert(Vertx vertx) throws Exception {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    hooks = ApiClient.await(vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> {
          events.add(req.getHeader("X-Vigia-Event") + " " + body);
          req.response().setStatusCode(204).end();
        }))
        .listen(0, "127.0.0.1"));
    vigia = ApiClient.await(Vigia.start(VigiaConfig.fromMap(Map.of(
        "VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", data.toString(),
        "VIGIA_ENGINE", "simulated",
        "VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD,
        // no disk has 100 TB free: this one warns
        "VIGIA_DISK_WARN_MB", "100000000",
        "VIGIA_NETWORK_TARGET", "off",
        "VIGIA_CHECK_INTERVAL_SECONDS", "1",
        "VIGIA_WEBHOOK_URL", "http://127.0.0.1:" + hooks.actualPort() + "/ops")),
        Clock.systemUTC()));
    ApiClient anyone = new ApiClient(vertx, vigia.httpPort());

    JsonObject disk = anyone.await("/health/ready", r -> "WARN".equals(r.getJsonObject("checks")
        .getJsonObject("disk").getString("status")), 20).getJsonObject("checks")
        .getJsonObject("disk");
    assertTrue(disk.getString("detail").startsWith("low disk space: "), disk.encode());
    assertEquals(100_000_000L << 20, disk.getLong("warnBelowBytes"));
    assertTrue(disk.getLong("freeBytes") > 0 && disk.getLong("dataBytes") > 0, disk.encode());
    assertEquals(200, anyone.get("/health/ready").statusCode(), "a low disk still serves");

    String metrics = anyone.get("/metrics").bodyAsString();
    assertTrue(metrics.contains("vigia_disk_warn_below_bytes " + (double) (100_000_000L << 20))
        || metrics.contains("vigia_disk_warn_below_bytes 1.048576E14"), metrics);
    assertTrue(metrics.lines().anyMatch(l -> l.startsWith("vigia_disk_free_bytes ")), metrics);
    assertTrue(metrics.lines().anyMatch(l -> l.startsWith("vigia_data_dir_bytes ")), metrics);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (events.stream().noneMatch(e -> e.startsWith("disk_low "))
        && System.nanoTime() < deadline) {
      Thread.sleep(50); // the test thread
    }
    assertTrue(events.stream().anyMatch(e -> e.startsWith("disk_low ")
        && e.contains(data.toAbsolutePath().toString())), "the operators' webhook hears of it: "
        + events);
  }

  /**
   * The disk really fills up: a child JVM runs Vigía on a 24 MiB tmpfs, mounted in a mount
   * namespace of its own ({@code unshare}: no root needed where user namespaces are allowed), and
   * checks everything from inside it (the tmpfs ends with the child).
   */
  @Test
  void aFullDiskCorruptsNoFileAndEveryFailedWriteIsVisible(@TempDir Path work) throws Exception {
    Path mount = Files.createDirectories(work.resolve("data"));
    Path report = work.resolve("report.txt");
    List<String> cmd = List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
        "mount -t tmpfs -o size=24m tmpfs \"$1\" && shift && exec \"$@\"", "sh",
        mount.toString(),
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), DiskFullChild.class.getName(),
        mount.toString());
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(report.toFile()).start();
    boolean ended = child.waitFor(180, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly();
    }
    String out = Files.readString(report, StandardCharsets.UTF_8);
    String said = out.lines().filter(l -> !l.startsWith("{")).reduce("", (a, b) -> a + "\n" + b);
    System.out.println("the disk-full child said:" + said); // the evidence, in the test's report
    assertTrue(ended, "the child ends by itself:" + said);
    assertEquals(0, child.exitValue(), "the child's checks (its own lines):" + said);
    assertTrue(out.contains(DiskFullChild.DONE), said);
  }
}
