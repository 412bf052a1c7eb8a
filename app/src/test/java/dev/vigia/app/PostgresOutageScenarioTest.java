package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.common.pg.LocalPostgres;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops while Vigía runs on it (a server of this test's own, so no other test loses
 * its database): readiness says the store is DOWN, the linked session keeps running, requests
 * that need the database are answered 503 with a cause (never left hanging), a state change made
 * meanwhile counts its lost journal line and saves its record once the database is back; then
 * everything works again without a restart.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, timeUnit = TimeUnit.SECONDS)
class PostgresOutageScenarioTest {

  @TempDir Path data;
  LocalPostgres server;
  Vigia vigia;

  @AfterEach
  void stop() {
    if (vigia != null) {
      vigia.stopAndWait();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void postgresStopsAndComesBackWhileVigiaRuns(Vertx vertx) throws Exception {
    server = LocalPostgres.start();
    TestPostgres.execute(server.admin(), "CREATE DATABASE vigia ENCODING 'UTF8' LC_COLLATE 'C'"
        + " LC_CTYPE 'C' TEMPLATE template0");
    PgSettings db = server.admin().withDatabase("vigia");
    vigia = ApiClient.await(Vigia.start(SpineScenarioTest.config(data, TestStore.postgres(db)),
        Clock.systemUTC()));
    ApiClient admin = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    assertEquals(201, admin.post("/api/orgs", new JsonObject().put("id", "2").put("name", "Two"))
        .statusCode());
    assertEquals(202, admin.post("/api/sessions/2/connect", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "QR_REQUIRED".equals(s.getString("state")), 10);
    assertTrue(admin.post("/api/sim/sessions/2/scan", new JsonObject()).statusCode() < 300);
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 10);
    assertEquals(200, admin.get("/health/ready").statusCode());

    server.stop();

    awaitTrue(() -> admin.get("/health/ready").statusCode() == 503, "readiness goes DOWN");
    JsonObject ready = admin.get("/health/ready").bodyAsJsonObject();
    assertEquals("DOWN", ready.getJsonObject("checks").getJsonObject("store").getString("status"),
        ready.encode());
    assertEquals(1.0, metric(admin, "vigia_sessions", "CONNECTED"), "the session keeps running");
    HttpResponse<Buffer> page = admin.get("/api/sessions/2");
    assertEquals(503, page.statusCode(), "a request that needs the database: " + page.bodyAsString());
    assertEquals("store_unavailable", page.bodyAsJsonObject().getString("code"));
    assertTrue(!page.bodyAsString().contains("Exception"), "no stack trace: " + page.bodyAsString());

    // a state change while the database is away: the gateway and the monitor go on; the journal
    // line that could not be written is counted, the record is saved once the database is back
    double lostBefore = metric(admin, "vigia_journal_failures_total", null);
    ApiClient.await(vigia.vertx().eventBus().request(GatewayAddresses.DISCONNECT,
        new JsonObject().put("org", "2").put("actor", "test")).map(m -> "done")
        .otherwise(Throwable::getMessage));
    awaitTrue(() -> metric(admin, "vigia_sessions", "STOPPED") == 1.0, "the monitor hears it");
    awaitTrue(() -> metric(admin, "vigia_journal_failures_total", null) > lostBefore,
        "the lost journal line is counted");

    server.restart();

    awaitTrue(() -> admin.get("/health/ready").statusCode() == 200, "readiness comes back");
    awaitTrue(() -> storedState(db).contains("\"STOPPED\""), "the record is saved when back");
    assertEquals("STOPPED", admin.json(admin.get("/api/sessions/2")).getString("state"),
        "the same web login works again");
    assertEquals(202, admin.post("/api/sessions/2/connect", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 20);
  }

  private static String storedState(PgSettings db) {
    try {
      String record = TestPostgres.value(db, "SELECT record FROM session_record WHERE org = '2'");
      return record == null ? "" : record;
    } catch (IllegalStateException down) {
      return "";
    }
  }

  /** A counter or gauge of /metrics (no token is configured), 0 when absent. */
  private static double metric(ApiClient client, String name, String state) {
    String scrape = client.get("/metrics").bodyAsString();
    Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$",
        Pattern.MULTILINE).matcher(scrape);
    double sum = 0;
    while (m.find()) {
      if (state == null || (m.group(1) != null && m.group(1).contains("state=\"" + state + "\""))) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < until, what + ": not within 60 s");
      Thread.sleep(200); // the test thread
    }
  }
}
