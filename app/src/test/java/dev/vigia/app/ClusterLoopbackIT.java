package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import dev.vigia.gateway.loopback.LoopbackWhatsApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode with the real engine (issue 11's last build item): three nodes of the fat jar, each
 * with its own Node process running the pinned Baileys, share one throwaway PostgreSQL and one
 * loopback WhatsApp, which replaces a device's older connection with a 440 conflict when the same
 * credentials log in again, as WhatsApp does. Six phones are linked through the nodes by QR; one
 * node is frozen past its leases ({@code SIGSTOP}: its Node process runs on and must close its
 * sockets by itself) and resumed, then killed ({@code kill -9}: its Node process goes with it),
 * and another stopped gracefully.
 * Every session must come back CONNECTED on the nodes left from the credentials in PostgreSQL,
 * without a new QR, and the loopback must never have seen two logins of one device at once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterLoopbackIT {

  static final int SESSIONS = 6;
  static final long LEASE_MS = 5_000;
  static final long RENEW_MS = 1_000;
  static final long MARGIN_MS = 1_500;
  /** A login with the real engine: Node, Baileys' handshake, its first queries. */
  static final int LOGIN_SECONDS = 30;

  @TempDir Path dir;
  final ClusterProcesses cluster = new ClusterProcesses();
  LoopbackWhatsApp whatsApp;

  @AfterEach
  void stopAll() throws Exception {
    cluster.killAll();
    if (whatsApp != null) {
      whatsApp.close();
    }
  }

  @Test
  void realSessionsFailOverAndHandOverWithoutASecondLogin(Vertx vertx) throws Exception {
    PgSettings db = TestPostgres.newDatabase();
    whatsApp = LoopbackWhatsApp.start();
    String node = whatsApp.nodeCommand(dir.resolve("bin"), Map.of());
    List<ClusterProcesses.Node> nodes = cluster.nodes(dir, 3, Map.of(
        "VIGIA_PG_URL", db.toUrl(),
        "VIGIA_ENGINE", "baileys",
        "VIGIA_NODE", node,
        "VIGIA_BAILEYS_WS_URL", whatsApp.url(),
        "VIGIA_CLUSTER_LEASE_MS", String.valueOf(LEASE_MS),
        "VIGIA_CLUSTER_RENEW_MS", String.valueOf(RENEW_MS),
        "VIGIA_CLUSTER_STOP_MARGIN_MS", String.valueOf(MARGIN_MS)));
    // one install of the pinned Baileys for every node (and the other app tests): npm ci once
    Path shared = Files.createDirectories(Path.of("target", "baileys-engine").toAbsolutePath());
    for (ClusterProcesses.Node n : nodes) {
      Path engine = Path.of(n.env.get("VIGIA_DATA_DIR"), "engine", "baileys");
      if (!Files.exists(engine, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(engine.getParent());
        Files.createSymbolicLink(engine, shared);
      }
    }
    // one after the other: the first creates the admin and installs Baileys, each is ready
    // (its Node process running) before the next starts
    List<ApiClient> api = new ArrayList<>();
    for (ClusterProcesses.Node n : nodes) {
      cluster.start(n);
      cluster.awaitReady(n, 240);
      ApiClient client = new ApiClient(vertx, n.httpPort());
      assertEquals(200, client.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
      api.add(client);
    }

    // six phones, each org connected through a node and its QR scanned as a person would
    Map<String, String> phones = new HashMap<>();
    for (int i = 1; i <= SESSIONS; i++) {
      String org = "org" + i;
      String phone = "52155504000" + i;
      phones.put(org, phone);
      whatsApp.account(phone, "Org " + i);
      ApiClient via = api.get(i % 3);
      assertEquals(201, via.post("/api/orgs", new JsonObject().put("id", org).put("name", org))
          .statusCode());
      int connect = via.post("/api/sessions/" + org + "/connect",
          new JsonObject().put("method", "qr")).statusCode();
      assertTrue(connect == 200 || connect == 202, org + ": " + connect);
    }
    for (int i = 1; i <= SESSIONS; i++) {
      String org = "org" + i;
      ApiClient via = api.get((i + 1) % 3); // any node shows any org's QR
      via.await("/api/sessions/" + org, s -> "QR_REQUIRED".equals(s.getString("state")),
          LOGIN_SECONDS);
      HttpResponse<Buffer> qr = via.get("/api/sessions/" + org + "/qr");
      assertEquals(200, qr.statusCode(), qr.bodyAsString());
      whatsApp.scan(phones.get(org), qr.bodyAsJsonObject().getString("payload"));
    }
    Map<String, String> owners = cluster.awaitAllConnected(api.get(0), SESSIONS,
        Set.of("node-1", "node-2", "node-3"), 120);
    System.out.println("linked " + SESSIONS + " real sessions, by node: "
        + ClusterProcesses.count(owners));
    assertEquals(3, ClusterProcesses.count(owners).size(), "spread over the three nodes: "
        + ClusterProcesses.count(owners));
    long qrsBefore = qrCount(api.get(0));

    // node-3's JVM frozen past its leases (SIGSTOP): its Node process runs on, so it must close
    // its WhatsApp sockets itself (the JVM's pings stop) before the others log the devices in
    int frozenHeld = ClusterProcesses.count(owners).get("node-3");
    cluster.signal(nodes.get(2), "STOP");
    long frozenAt = System.nanoTime();
    owners = cluster.awaitAllConnected(api.get(0), SESSIONS, Set.of("node-1", "node-2"),
        (int) (LEASE_MS / 1000) + LOGIN_SECONDS);
    System.out.println("node-3 frozen: its " + frozenHeld + " sessions CONNECTED on"
        + " node-1/node-2 in " + ClusterProcesses.millisSince(frozenAt) + " ms");
    assertEquals(0, whatsApp.state().getInteger("replacedLogins"),
        "the frozen node's sockets were still open when the others logged in (440)");
    Thread.sleep(1_000); // frozen past its leases, and a little more
    cluster.signal(nodes.get(2), "CONT");
    cluster.awaitLog(nodes.get(2), "lost org", frozenHeld, 15);
    owners = cluster.awaitSpread(api.get(0), SESSIONS, Set.of("node-1", "node-2", "node-3"),
        LOGIN_SECONDS);
    System.out.println("node-3 resumed, stopped its " + frozenHeld + " sessions and took its"
        + " share back: " + ClusterProcesses.count(owners));

    // kill -9 of node-3 (its Node process ends with its standard input): the others log its
    // sessions in again from PostgreSQL once the leases end
    int killedHeld = ClusterProcesses.count(owners).get("node-3");
    long killedAt = System.nanoTime();
    cluster.kill9(nodes.get(2));
    owners = cluster.awaitAllConnected(api.get(0), SESSIONS, Set.of("node-1", "node-2"),
        (int) (LEASE_MS / 1000) + LOGIN_SECONDS);
    System.out.println("kill -9 of node-3: its " + killedHeld + " sessions CONNECTED on"
        + " node-1/node-2 in " + ClusterProcesses.millisSince(killedAt) + " ms (lease "
        + LEASE_MS + " ms)");

    // a graceful stop hands over at once: node-2 ends its logins before node-1 starts its own
    int handed = ClusterProcesses.count(owners).getOrDefault("node-2", 0);
    long stoppedAt = System.nanoTime();
    cluster.terminate(nodes.get(1));
    cluster.awaitAllConnected(api.get(0), SESSIONS, Set.of("node-1"), LOGIN_SECONDS);
    System.out.println("graceful stop of node-2: its " + handed + " sessions CONNECTED on node-1"
        + " in " + ClusterProcesses.millisSince(stoppedAt) + " ms");

    JsonObject state = whatsApp.state();
    assertEquals(0, state.getInteger("replacedLogins"),
        "the loopback WhatsApp replaced a live login (440): two holders of one device at once");
    for (String phone : phones.values()) {
      JsonObject account = state.getJsonArray("accounts").stream().map(JsonObject.class::cast)
          .filter(a -> phone.equals(a.getString("user"))).findFirst().orElseThrow();
      assertEquals(1, account.getJsonArray("devices").size(), "one linked device for " + phone
          + ", never a new link: " + account.encode());
      assertTrue(account.getJsonArray("devices").getJsonObject(0).getBoolean("online"),
          phone + " is online: " + account.encode());
    }
    assertEquals(qrsBefore, qrCount(api.get(0)), "no session needed a QR again");
    assertEquals(0, cluster.countAll("-> CONFLICT"), "no session ever went to CONFLICT");
    assertEquals(List.of(), whatsApp.unanswered(), "the loopback left queries unanswered");
  }

  /** QR_REQUIRED entries in every org's journal: a session taken over must not ask for one. */
  private static long qrCount(ApiClient api) {
    long n = 0;
    for (int i = 1; i <= SESSIONS; i++) {
      n += api.json(api.get("/api/sessions/org" + i + "/events?limit=200"))
          .getJsonArray("entries").stream().map(JsonObject.class::cast)
          .filter(e -> "QR_REQUIRED".equals(e.getString("to"))).count();
    }
    return n;
  }
}
