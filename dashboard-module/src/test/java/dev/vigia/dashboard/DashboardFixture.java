package dev.vigia.dashboard;

import static dev.vigia.dashboard.ApiClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.logging.OrgLogLines;
import dev.vigia.common.time.ManualClock;
import dev.vigia.dashboard.ApiClient.Login;
import dev.vigia.dashboard.ApiClient.Reply;
import dev.vigia.dashboard.account.FileAccountStore;
import dev.vigia.dashboard.account.FileTokenStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The dashboard deployed over real HTTP on 127.0.0.1 with a {@link FakeGateway}: orgs 2 and 4,
 * the admin logged in, and operator {@code ana} of org 4 logged in. Once per test class, since
 * password hashing is slow on purpose.
 */
final class DashboardFixture {

  static final String ADMIN_PASSWORD = "admin-secret-1";
  static final String OPERATOR_PASSWORD = "operator-secret-4";

  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
  final FakeGateway gateway;
  final FileAccountStore accounts;
  final int port;
  final ApiClient api;
  final Login admin;
  final Login operator;
  /** The server's lines about each org that the org log routes read (the app's come from logging). */
  final OrgLogLines orgLines = new OrgLogLines();

  /** With the SSE heartbeat {@code streamHeartbeat}, or the real one when null. */
  DashboardFixture(Vertx vertx, Path dataDir, Duration streamHeartbeat) {
    VigiaConfig config = VigiaConfig.fromMap(Map.of(
        "VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", dataDir.toString(),
        "VIGIA_ENGINE", "simulated",
        "VIGIA_ADMIN_PASSWORD", ADMIN_PASSWORD));
    gateway = new FakeGateway(vertx, clock);
    await(gateway.register());
    accounts = new FileAccountStore(vertx, dataDir);
    DashboardStores stores = DashboardStores.files(accounts, new FileTokenStore(vertx, dataDir),
        clock);
    DashboardVerticle verticle = streamHeartbeat == null
        ? new DashboardVerticle(config, stores, clock)
        : new DashboardVerticle(config, stores, clock, streamHeartbeat);
    verticle.withOrgLogLines(orgLines);
    await(vertx.deployVerticle(verticle));
    port = verticle.actualPort();
    api = new ApiClient(vertx, port);

    admin = api.login("admin", ADMIN_PASSWORD);
    assertEquals(201, api.post("/api/orgs", admin,
        new JsonObject().put("id", "2").put("name", "CompuEasys")).status());
    assertEquals(201, api.post("/api/orgs", admin, new JsonObject().put("id", "4")
        .put("name", "Océano Óptico").put("alertEmails", new JsonArray().add("ops@example.com")))
        .status());
    Reply created = api.post("/api/users", admin, new JsonObject().put("username", "ana")
        .put("password", OPERATOR_PASSWORD).put("role", "operator")
        .put("orgs", new JsonArray().add("4")));
    assertEquals(201, created.status(), created.body());
    operator = api.login("ana", OPERATOR_PASSWORD);
  }
}
