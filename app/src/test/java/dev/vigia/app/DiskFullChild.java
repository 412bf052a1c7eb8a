package dev.vigia.app;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.storage.AtomicFiles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@link DiskScenarioTest}'s child, run on a 24 MiB tmpfs mounted for it alone: Vigía links org 2,
 * then a file fills the disk to the last byte. Writes then fail and say so (an API error, readiness
 * 503 with the disk {@code DOWN}, the {@code disk_full} alert), except the journal's, whose log
 * reserves its space: a session that changes state on the full disk keeps its lines;
 * Vigía stops on the full disk; every file it left is whole; with space freed it starts again
 * with org 2 linked, without a QR. Any broken check ends the child with a non-zero exit and the
 * reason on standard output.
 */
public final class DiskFullChild {

  static final String DONE = "disk-full scenario: every check passed";

  private DiskFullChild() {}

  public static void main(String[] args) throws Exception {
    Path mount = Path.of(args[0]);
    Path data = mount.resolve("vigia-data");
    Vertx vertx = Vertx.vertx();
    int code = 1;
    try {
      run(vertx, mount, data);
      System.out.println(DONE);
      code = 0;
    } catch (Throwable e) {
      System.out.println("FAILED: " + e);
    } finally {
      vertx.close();
    }
    System.out.flush();
    Runtime.getRuntime().halt(code);
  }

  private static void run(Vertx vertx, Path mount, Path data) throws Exception {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    HttpServer hooks = ApiClient.await(vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> {
          events.add(req.getHeader("X-Vigia-Event"));
          req.response().setStatusCode(204).end();
        }))
        .listen(0, "127.0.0.1"));
    VigiaConfig config = VigiaConfig.fromMap(Map.of(
        "VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", data.toString(),
        "VIGIA_ENGINE", "simulated",
        "VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD,
        "VIGIA_PASSWORD_ITERATIONS", "210000",
        "VIGIA_SIM_RESTART_MS", "50",
        "VIGIA_NETWORK_TARGET", "off",
        "VIGIA_CHECK_INTERVAL_SECONDS", "1",
        "VIGIA_WEBHOOK_URL", "http://127.0.0.1:" + hooks.actualPort() + "/ops"));
    Vigia vigia = ApiClient.await(Vigia.start(config, Clock.systemUTC()));
    ApiClient admin = new ApiClient(vertx, vigia.httpPort());
    check(admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode() == 200, "login");
    for (String org : new String[] {"2", "3"}) {
      check(admin.post("/api/orgs", new JsonObject().put("id", org).put("name", "Org " + org))
          .statusCode() == 201, "org " + org + " made");
    }
    admin.post("/api/sessions/2/connect", new JsonObject());
    admin.await("/api/sessions/2", s -> "QR_REQUIRED".equals(s.getString("state")), 20);
    admin.post("/api/sim/sessions/2/scan", new JsonObject());
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 20);
    ApiClient.await(vigia.flushAuthState());
    String accountsBefore = Files.readString(data.resolve("accounts/accounts.json"));

    long filled = fill(mount.resolve("filler.bin"));
    say("filled the disk with " + filled + " bytes; " + Files.getFileStore(mount).getUsableSpace()
        + " bytes left");

    // writes now fail, and each failure is visible
    var refused = admin.post("/api/orgs", new JsonObject().put("id", "5").put("name", "Five"));
    say("POST /api/orgs on the full disk: " + refused.statusCode() + " " + refused.bodyAsString());
    check(refused.statusCode() == 507, "making an org on a full disk fails with 507");
    JsonObject error = refused.bodyAsJsonObject();
    check("disk_full".equals(error.getString("code"))
        && error.getString("error").startsWith("the server's disk is full")
        && !refused.bodyAsString().contains("at dev.vigia"),
        "the failure says the disk is full, never with a stack trace");
    check(Files.readString(data.resolve("accounts/accounts.json")).equals(accountsBefore),
        "accounts.json is as it was");
    JsonArray orgs = admin.get("/api/orgs").bodyAsJsonObject().getJsonArray("orgs");
    check(orgs.size() == 2, "the org that could not be written is not there: " + orgs.encode());

    admin.post("/api/sessions/3/connect", new JsonObject());
    JsonObject[] ready = new JsonObject[1];
    waitFor(() -> {
      var r = admin.get("/health/ready");
      ready[0] = r.bodyAsJsonObject();
      return r.statusCode() == 503 && "DOWN".equals(ready[0].getJsonObject("checks",
          new JsonObject()).getJsonObject("disk", new JsonObject()).getString("status"));
    }, "readiness is 503 with the disk DOWN");
    say("readiness on the full disk: " + ready[0].encode());
    check(ready[0].getJsonObject("checks").getJsonObject("disk").getString("detail")
        .startsWith("the disk is full"), "readiness says the disk is full");
    waitFor(() -> events.contains("disk_full"), "the disk_full alert reaches the webhook");
    // a session that changes state on the full disk: its journal lines go into the journal's
    // log, whose segments are zero-filled before use (space reserved), so none is lost; a line
    // that could not be written at all would be counted in vigia_journal_failures_total
    int journaledBefore = journal(admin, "3");
    admin.post("/api/sessions/3/connect", new JsonObject());
    admin.await("/api/sessions/3", s -> !"STOPPED".equals(s.getString("state")), 20);
    admin.get("/metrics").bodyAsString().lines()
        .filter(l -> l.startsWith("vigia_journal_failures_total")
            || l.startsWith("vigia_disk_free_bytes")).forEach(DiskFullChild::say);

    // stop on the full disk, then look at every file left behind
    vigia.stopAndWait();
    int checked = everyFileIsWhole(data);
    say("every file whole after stopping on the full disk: " + checked + " files");
    check(new JsonObject(Files.readString(data.resolve("auth_sessions/2/creds.json")))
        .getJsonObject("me") != null, "org 2's creds are whole and linked");

    // space freed: Vigía starts on the same data dir, org 2 linked without a QR
    Files.delete(mount.resolve("filler.bin"));
    vigia = ApiClient.await(Vigia.start(config, Clock.systemUTC()));
    ApiClient again = new ApiClient(vertx, vigia.httpPort());
    check(again.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode() == 200, "login");
    again.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 20);
    check(again.get("/api/orgs").bodyAsJsonObject().getJsonArray("orgs").size() == 2, "orgs");
    check(journal(again, "3") > journaledBefore,
        "org 3's journal lines from the full disk are there after the restart");
    again.await("/health/ready", r -> !"DOWN".equals(r.getJsonObject("checks", new JsonObject())
        .getJsonObject("disk", new JsonObject()).getString("status", "DOWN")), 20);
    vigia.stopAndWait();
  }

  /** How many lines the org's journal holds (up to 1,000). */
  private static int journal(ApiClient client, String org) {
    return client.get("/api/sessions/" + org + "/events?limit=1000").bodyAsJsonObject()
        .getJsonArray("entries").size();
  }

  /** Writes zeros until the disk refuses, in 1 MiB then 4 KiB steps: not one block is left. */
  private static long fill(Path file) throws IOException {
    long written = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      for (int chunk : new int[] {1 << 20, 4096, 1}) {
        ByteBuffer zeros = ByteBuffer.allocate(chunk);
        try {
          while (true) {
            zeros.clear();
            written += ch.write(zeros);
          }
        } catch (IOException full) {
          if (!String.valueOf(full.getMessage()).contains("No space left")) {
            throw full;
          }
        }
      }
    }
    return written;
  }

  /**
   * Every file Vigía left parses: JSON files whole, each JSON-lines file's lines whole (a line
   * torn by the failed append may end the file: the readers skip it). Temp files are skipped:
   * nothing reads them, and the next start sweeps them. The auth-state log is binary, checked
   * by its own checksums at start (the restart below replays it).
   */
  private static int everyFileIsWhole(Path data) throws IOException {
    int[] n = {0};
    try (Stream<Path> files = Files.walk(data)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (AtomicFiles.isTemp(f) || f.startsWith(data.resolve("auth_log"))) {
          continue;
        }
        if (name.endsWith(".json")) {
          try {
            new JsonObject(Files.readString(f));
          } catch (RuntimeException e) {
            try {
              new JsonArray(Files.readString(f));
            } catch (RuntimeException e2) {
              throw new AssertionError("a broken file: " + f + ": " + e.getMessage());
            }
          }
          n[0]++;
        } else if (name.endsWith(".jsonl")) {
          List<String> lines = Files.readAllLines(f);
          for (int i = 0; i < lines.size(); i++) {
            try {
              new JsonObject(lines.get(i));
            } catch (RuntimeException e) {
              if (i < lines.size() - 1) {
                throw new AssertionError("a broken line " + (i + 1) + " in " + f);
              }
              say("a torn last line in " + f + " (skipped by the reader)");
            }
          }
          n[0]++;
        }
      }
    }
    return n[0];
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
    say("ok: " + what);
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out: " + what);
      }
      Thread.sleep(50);
    }
    say("ok: " + what);
  }

  private static void say(String line) {
    System.out.println("disk-full: " + line);
  }
}
