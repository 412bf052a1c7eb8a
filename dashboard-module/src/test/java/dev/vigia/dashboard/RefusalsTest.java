package dev.vigia.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.gateway.GatewayAddresses;
import dev.vigia.dashboard.ApiClient.Login;
import dev.vigia.dashboard.ApiClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the dashboard refuses, and how: requests too large to read answer the one error shape
 * like any other error, and a clear of an org nobody created is a 404 that reaches no gateway.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RefusalsTest {

  private DashboardFixture fixture;
  private ApiClient api;

  @BeforeAll
  void deploy(Vertx vertx, @TempDir Path dataDir) {
    fixture = new DashboardFixture(vertx, dataDir, null);
    api = fixture.api;
  }

  @AfterAll
  void close() {
    api.close();
  }

  @Test
  void anAddressOver4KibIs414WithTheErrorShape() throws IOException {
    String answer = raw("GET /api/sessions?x=" + "a".repeat(5000) + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\n\r\n");
    assertTrue(answer.matches("(?s)HTTP/1.[01] 414 .*"), answer.lines().findFirst().orElse(""));
    assertEquals("uri_too_long", body(answer).getString("code"));
    assertTrue(body(answer).getString("error").contains("too long"), answer);
    assertTrue(answer.toLowerCase().contains("content-type: application/json"), answer);
  }

  @Test
  void headersOver8KibAre431WithTheErrorShape() throws IOException {
    String answer = raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: c="
        + "b".repeat(9000) + "\r\n\r\n");
    assertTrue(answer.matches("(?s)HTTP/1.[01] 431 .*"), answer.lines().findFirst().orElse(""));
    assertEquals("headers_too_large", body(answer).getString("code"));
  }

  @Test
  void clearingAnOrgThatDoesNotExistIs404OnEveryClearEndpointAndReachesNoGateway() {
    int clearsBefore = clears();
    Reply modern = api.post("/api/sessions/ghost/clear", fixture.admin, null);
    assertEquals(404, modern.status(), modern.body());
    assertEquals(new JsonObject().put("error", "No se pudo limpiar la sesión")
        .put("code", "unknown_org"), modern.json());

    MultiMap legacyCsrf = MultiMap.caseInsensitiveMultiMap()
        .add("X-CSRFToken", fixture.admin.xsrfToken());
    Reply oldDashboard = api.send(HttpMethod.POST, "/dashboard/whatsapp-baileys/clear/?org=77",
        fixture.admin.withoutXsrf(), null, legacyCsrf);
    assertEquals(404, oldDashboard.status(), oldDashboard.body());
    assertEquals("unknown_org", oldDashboard.json().getString("code"));

    Reply oldServer = api.post("/api/clear-session", fixture.admin,
        new JsonObject().put("organization_id", 99));
    assertEquals(404, oldServer.status(), oldServer.body());
    assertEquals("unknown_org", oldServer.json().getString("code"));

    assertEquals(clearsBefore, clears(), "no clear reached the gateway");
    assertNull(fixture.gateway.session("ghost"), "no session was created");
    assertEquals(200, api.post("/api/sessions/4/clear", fixture.operator, null).status(),
        "an org that exists is still cleared");
  }

  @Test
  void aMoveIsForAnAdminOfAValidOrgAndOnlyOnACluster() {
    JsonObject toNode2 = new JsonObject().put("node", "node-2");
    Reply byOperator = api.post("/api/sessions/4/move", fixture.operator, toNode2);
    assertEquals(403, byOperator.status(), byOperator.body());
    assertEquals("forbidden", byOperator.json().getString("code"));

    Reply badOrg = api.post("/api/sessions/no.such!org/move", fixture.admin, toNode2);
    assertEquals(400, badOrg.status(), badOrg.body());
    assertEquals("invalid_org", badOrg.json().getString("code"));

    Reply noNode = api.post("/api/sessions/4/move", fixture.admin, new JsonObject());
    assertEquals(400, noNode.status(), noNode.body());
    assertTrue(noNode.json().getString("error").contains("node"), noNode.body());

    Reply badNode = api.post("/api/sessions/4/move", fixture.admin,
        new JsonObject().put("node", "node 2; drop"));
    assertEquals(400, badNode.status(), badNode.body());

    Reply ghost = api.post("/api/sessions/ghost/move", fixture.admin, toNode2);
    assertEquals(404, ghost.status(), ghost.body());

    // a single node: nothing can take the session, and the answer says why
    Reply single = api.post("/api/sessions/4/move", fixture.admin, toNode2);
    assertEquals(409, single.status(), single.body());
    assertEquals("not_clustered", single.json().getString("code"));
    assertTrue(single.json().getString("error").contains("cluster"), single.body());

    // the live nodes a move may go to: for admins, and only on a cluster
    Reply nodesByOperator = api.get("/api/cluster/nodes", fixture.operator);
    assertEquals(403, nodesByOperator.status(), nodesByOperator.body());
    Reply nodes = api.get("/api/cluster/nodes", fixture.admin);
    assertEquals(409, nodes.status(), nodes.body());
    assertEquals("not_clustered", nodes.json().getString("code"));
  }

  private int clears() {
    return (int) fixture.gateway.seen().stream()
        .filter(s -> s.address().equals(GatewayAddresses.CLEAR)).count();
  }

  /** Sends {@code request} as raw bytes (no client would send it) and reads the whole answer. */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", fixture.port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) >= 0; ) {
        answer.write(buf, 0, n);
      }
      return answer.toString(StandardCharsets.UTF_8);
    } catch (java.net.SocketException reset) {
      throw new AssertionError("the connection was reset before an answer", reset);
    }
  }

  private static JsonObject body(String answer) {
    return new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
  }
}
