package dev.vigia.app.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.app.Vigia;
import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import dev.vigia.dashboard.account.AdminTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigia user token <admin>} on a stopped server with every store in PostgreSQL: the token
 * goes where the running server (any node) looks for it, not into the data dir.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DataDirOpsTokenTest {

  @TempDir Path data;
  final PgSettings db = TestPostgres.newDatabase();
  Vigia vigia;

  @AfterEach
  void stop() {
    if (vigia != null) {
      vigia.stopAndWait();
    }
  }

  @Test
  void aTokenMadeWhileStoppedOnPostgresWorksOnTheServerAndTheDataDirHoldsNone() throws Exception {
    VigiaConfig config = VigiaConfig.fromMap(Map.of("VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", data.toString(), "VIGIA_ENGINE", "simulated",
        "VIGIA_ADMIN_PASSWORD", "correct horse battery", "VIGIA_STORE", "postgres",
        "VIGIA_PG_URL", db.toUrl(), "VIGIA_PG_POOL_SIZE", "4"));
    vigia = await(Vigia.start(config, Clock.systemUTC())); // the first admin, in PostgreSQL
    vigia.stopAndWait();
    vigia = null;

    String token;
    try (DataDirOps ops = new DataDirOps(config)) {
      token = ops.token("admin", "made while stopped");
    }
    assertTrue(token.startsWith(AdminTokens.PREFIX));
    assertFalse(Files.exists(data.resolve("accounts")), "nothing of the token in the data dir");

    vigia = await(Vigia.start(config, Clock.systemUTC()));
    assertEquals(200, status(vigia.httpPort(), token));
    assertEquals(401, status(vigia.httpPort(), token + "x"), "and only that token");
  }

  /** {@code GET /api/ops/status} as {@code vigia status} sends it. */
  private static int status(int port, String token) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + port + "/api/ops/status")).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
