package dev.vigia.dashboard;

import static dev.vigia.dashboard.ApiClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.dashboard.ApiClient.Login;
import dev.vigia.dashboard.ApiClient.Reply;
import dev.vigia.dashboard.account.AdminToken;
import dev.vigia.dashboard.account.FileAccountStore;
import dev.vigia.dashboard.account.FileTokenStore;
import dev.vigia.dashboard.account.TokenStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness answers while the dashboard is still opening its stores (issue 7: {@code /health}
 * within 2 s of launch whatever the data dir holds); other requests wait for the router and are
 * answered by it once the stores are open, none refused.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StartingGateTest {

  @TempDir
  Path dataDir;

  @Test
  void healthAnswersWhileTheStoresOpenAndRequestsAskedMeanwhileAreAnsweredOnceTheyAre(Vertx vertx) throws Exception {
    VigiaConfig config = VigiaConfig.fromMap(Map.of("VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", dataDir.toString(), "VIGIA_ENGINE", "simulated",
        "VIGIA_ADMIN_PASSWORD", "admin-secret-1"));
    Promise<Void> storesOpen = Promise.promise();
    TokenStore held = new HeldOpen(new FileTokenStore(vertx, dataDir), storesOpen.future());
    DashboardVerticle verticle = new DashboardVerticle(config, DashboardStores.files(
        new FileAccountStore(vertx, dataDir), held, Clock.systemUTC()), Clock.systemUTC());
    Future<String> deployed = vertx.deployVerticle(verticle);

    int port = listeningPort(verticle);
    ApiClient api = new ApiClient(vertx, port);
    WebClient web = WebClient.create(vertx);
    try {
      Reply health = api.get("/health", Login.NONE);
      assertEquals(200, health.status(), health.body());
      assertEquals("UP", health.json().getString("status"));
      Reply ready = api.get("/health/ready", Login.NONE);
      assertEquals(503, ready.status());
      assertEquals("not_ready", ready.json().getString("code"));
      // asked before the stores are open: held, then answered by the router, body and all
      Future<HttpResponse<Buffer>> login = web.post(port, "127.0.0.1", "/auth/login")
          .putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer(new JsonObject().put("username", "admin")
              .put("password", "admin-secret-1").encode()));
      Future<HttpResponse<Buffer>> list = web.get(port, "127.0.0.1", "/api/sessions").send();
      Thread.sleep(500);
      assertFalse(login.isComplete() || list.isComplete(), "held while the stores open");
      assertFalse(deployed.isComplete(), "the dashboard is still starting");

      storesOpen.complete();
      await(deployed);
      assertEquals(200, await(login).statusCode(), "the held login, answered");
      assertEquals(401, await(list).statusCode(), "the held list, answered by the router");
      assertEquals(401, await(web.get(port, "127.0.0.1", "/api/sessions").send()).statusCode(),
          "the held requests' connections serve the next ones");
      Login admin = api.login("admin", "admin-secret-1");
      assertEquals("admin", api.get("/api/me", admin).json().getString("role"));
      assertEquals(200, api.get("/health", Login.NONE).status());
    } finally {
      web.close();
      api.close();
    }
  }

  @Test
  void requestsMadeDuringTheStartWaitForTheRestOfVigiaNotOnlyTheDashboard(Vertx vertx)
      throws Exception {
    VigiaConfig config = VigiaConfig.fromMap(Map.of("VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", dataDir.toString(), "VIGIA_ENGINE", "simulated",
        "VIGIA_ADMIN_PASSWORD", "admin-secret-1"));
    // the app completes this once the gateway and the monitor are deployed
    Promise<Void> everyoneServes = Promise.promise();
    DashboardVerticle verticle = new DashboardVerticle(config, DashboardStores.files(
        new FileAccountStore(vertx, dataDir), new FileTokenStore(vertx, dataDir),
        Clock.systemUTC()), Clock.systemUTC()).servingAfter(everyoneServes.future());
    await(vertx.deployVerticle(verticle)); // the dashboard itself is up: its stores are open
    int port = verticle.actualPort();
    ApiClient api = new ApiClient(vertx, port);
    WebClient web = WebClient.create(vertx);
    try {
      assertEquals(200, api.get("/health", Login.NONE).status());
      assertEquals(503, api.get("/health/ready", Login.NONE).status());
      Future<HttpResponse<Buffer>> login = web.post(port, "127.0.0.1", "/auth/login")
          .putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer(new JsonObject().put("username", "admin")
              .put("password", "admin-secret-1").encode()));
      Thread.sleep(500); // the test's thread
      assertFalse(login.isComplete(), "held until the rest of Vigía serves");

      everyoneServes.complete();
      assertEquals(200, await(login).statusCode(), "then answered by the router");
    } finally {
      web.close();
      api.close();
    }
  }

  /** The port once the server listens, polled (the deploy has not completed yet). */
  private static int listeningPort(DashboardVerticle verticle) throws InterruptedException {
    for (int i = 0; i < 300 && verticle.actualPort() <= 0; i++) {
      Thread.sleep(50);
    }
    assertTrue(verticle.actualPort() > 0, "the server listens before the stores are open");
    return verticle.actualPort();
  }

  /** A token store whose open waits for {@code until}, as a slow disk or a big data dir would. */
  private record HeldOpen(TokenStore store, Future<Void> until) implements TokenStore {
    @Override
    public Future<Void> open() {
      // back on the dashboard's context, as a real store's open would complete
      io.vertx.core.Context caller = Vertx.currentContext();
      Promise<Void> released = Promise.promise();
      until.onComplete(ar -> caller.runOnContext(v -> released.complete()));
      return released.future().compose(v -> store.open());
    }

    @Override
    public Future<AdminToken> create(AdminToken token) {
      return store.create(token);
    }

    @Override
    public Future<List<AdminToken>> list() {
      return store.list();
    }

    @Override
    public Future<AdminToken> delete(String id) {
      return store.delete(id);
    }

    @Override
    public Future<Optional<AdminToken>> findByHash(String hash) {
      return store.findByHash(hash);
    }
  }
}
