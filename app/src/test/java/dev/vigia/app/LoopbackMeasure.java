package dev.vigia.app;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.gateway.loopback.LoopbackWhatsApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A measuring command, not a test (README, "The Baileys engine"): Vigía with the real Baileys engine
 * against the loopback WhatsApp links 1, then 10, then 50 orgs (one Node process for all) and
 * prints, at each step, the Node process's resident memory and the JVM's heap, beside the same
 * measures with no session at all (the baseline of this run), and how long a person waits from
 * connect to the QR and from the scan to {@code CONNECTED}.
 *
 * <pre>java -cp … dev.vigia.app.LoopbackMeasure [1,10,50]</pre>
 */
public final class LoopbackMeasure {

  private LoopbackMeasure() {}

  record Memory(long nodeRssKb, long heapKb) {}

  public static void main(String[] args) throws Exception {
    List<Integer> steps = Arrays.stream((args.length > 0 ? args[0] : "1,10,50").split(","))
        .map(String::trim).map(Integer::parseInt).toList();
    Path dir = Files.createTempDirectory("vigia-measure");
    Vertx client = Vertx.vertx();
    try (LoopbackWhatsApp whatsApp = LoopbackWhatsApp.start()) {
      VigiaConfig config = VigiaConfig.fromMap(Map.of(
          "VIGIA_HTTP_PORT", "0",
          "VIGIA_DATA_DIR", dir.resolve("data").toString(),
          "VIGIA_ENGINE", "baileys",
          "VIGIA_NODE", whatsApp.nodeCommand(dir.resolve("bin"), Map.of()),
          "VIGIA_BAILEYS_WS_URL", whatsApp.url(),
          "VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD,
          "VIGIA_LOG_LEVEL", "WARN"));
      Vigia vigia = ApiClient.await(Vigia.start(config, Clock.systemUTC()));
      try {
        ApiClient admin = new ApiClient(client, vigia.httpPort());
        awaitReady(admin);
        admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD);
        Memory baseline = memory();
        System.out.printf("baseline (engine running, no session): Node RSS %d MB, JVM heap %d MB%n",
            baseline.nodeRssKb() / 1024, baseline.heapKb() / 1024);
        System.out.println("sessions | Node RSS MB (x baseline) | JVM heap MB (x baseline)"
            + " | connect->QR ms median/max | scan->CONNECTED ms median/max");
        List<Long> toQr = new ArrayList<>();
        List<Long> toConnected = new ArrayList<>();
        int linked = 0;
        for (int target : steps) {
          while (linked < target) {
            linked++;
            long[] times = link(admin, whatsApp, "m" + linked, String.valueOf(5215551000000L + linked));
            toQr.add(times[0]);
            toConnected.add(times[1]);
          }
          Thread.sleep(5000); // let the logins' writes and history syncs settle
          Memory m = memory();
          System.out.printf("%8d | %6d (%.1f) | %6d (%.1f) | %5d / %5d | %5d / %5d%n", linked,
              m.nodeRssKb() / 1024, (double) m.nodeRssKb() / baseline.nodeRssKb(),
              m.heapKb() / 1024, (double) m.heapKb() / baseline.heapKb(),
              median(toQr), max(toQr), median(toConnected), max(toConnected));
        }
      } finally {
        vigia.stopAndWait();
      }
    } finally {
      ApiClient.await(client.close());
    }
  }

  /** A person's link: create the org, connect, wait for the QR, scan it, wait for CONNECTED. */
  private static long[] link(ApiClient admin, LoopbackWhatsApp whatsApp, String org, String phone)
      throws InterruptedException {
    whatsApp.account(phone, "Org " + org);
    admin.post("/api/orgs", new JsonObject().put("id", org).put("name", org));
    long start = System.nanoTime();
    admin.post("/api/sessions/" + org + "/connect", new JsonObject().put("method", "qr"));
    admin.await("/api/sessions/" + org, s -> "QR_REQUIRED".equals(s.getString("state")), 120);
    long qr = System.nanoTime();
    whatsApp.scan(phone, admin.json(admin.get("/api/sessions/" + org + "/qr")).getString("payload"));
    long scanned = System.nanoTime();
    admin.await("/api/sessions/" + org, s -> "CONNECTED".equals(s.getString("state")), 300);
    long connected = System.nanoTime();
    return new long[] {TimeUnit.NANOSECONDS.toMillis(qr - start), TimeUnit.NANOSECONDS.toMillis(connected - scanned)};
  }

  private static Memory memory() throws Exception {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
    ProcessHandle node = ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("engine.mjs")).findFirst().orElseThrow();
    long rss = Files.readAllLines(Path.of("/proc", String.valueOf(node.pid()), "status")).stream()
        .filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
        .findFirst().orElseThrow();
    return new Memory(rss, heap);
  }

  private static void awaitReady(ApiClient admin) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    HttpResponse<Buffer> ready = admin.get("/health/ready");
    while (ready.statusCode() != 200 && System.nanoTime() < until) {
      Thread.sleep(250);
      ready = admin.get("/health/ready");
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static long max(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(0);
  }
}
