package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.backends.BackendRegistries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SafeMetricsFactoryTest {

  private static final SocketAddress LOCAL = SocketAddress.inetSocketAddress(8080, "127.0.0.1");
  private static final SocketAddress REMOTE = SocketAddress.inetSocketAddress(50000, "127.0.0.1");

  private static VertxOptions options() {
    return new VertxOptions().setMetricsOptions(Vigia.metricsOptions());
  }

  /**
   * What Vert.x 5.0.8 does with a connection accepted before its server had metrics: its request
   * and its error reach the metrics with no socket metric. Micrometer's own fail there (so the
   * request was never answered); ours skip that connection.
   */
  @Test
  void aConnectionTheMetricsNeverHeardOfIsServedWithoutMetrics() {
    VertxMetrics micrometer = new MicrometerMetricsFactory().metrics(options());
    @SuppressWarnings("unchecked")
    HttpServerMetrics<Object, Object, Object> raw = (HttpServerMetrics<Object, Object, Object>)
        micrometer.createHttpServerMetrics(new HttpServerOptions(), LOCAL);
    assertThrows(NullPointerException.class, () -> raw.requestBegin(null, null),
        "Micrometer's metrics, as Vert.x calls them for such a connection");
    assertThrows(NullPointerException.class,
        () -> raw.exceptionOccurred(null, REMOTE, new IOException("reset")));

    @SuppressWarnings("unchecked")
    HttpServerMetrics<Object, Object, Object> safe = (HttpServerMetrics<Object, Object, Object>)
        new SafeMetricsFactory().metrics(options()).createHttpServerMetrics(new HttpServerOptions(),
            LOCAL);
    assertNull(assertDoesNotThrow(() -> safe.requestBegin(null, null)));
    assertDoesNotThrow(() -> safe.exceptionOccurred(null, REMOTE, new IOException("reset")));
    assertDoesNotThrow(() -> {
      safe.requestEnd(null, null, 10);
      safe.responseBegin(null, null);
      safe.responseEnd(null, null, 10);
      safe.requestReset(null);
      safe.requestRouted(null, "/health");
      safe.bytesRead(null, REMOTE, 10);
      safe.bytesWritten(null, REMOTE, 10);
      safe.disconnected(null, REMOTE);
      assertNull(safe.connected(null, null, null));
      safe.disconnected(null);
    });

    // a connection the metrics heard of is counted as before
    Object socket = safe.connected(REMOTE, "client");
    assertNotNull(socket);
    assertDoesNotThrow(() -> safe.exceptionOccurred(socket, REMOTE, new IOException("reset")));
    safe.disconnected(socket, REMOTE);
  }

  /** Through a real server, the HTTP series are still there for /metrics. */
  @Test
  void aServerOnTheSafeMetricsStillReportsItsRequests() throws Exception {
    Vertx vertx = Vertx.builder().with(options()).withMetrics(new SafeMetricsFactory()).build();
    try {
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
              .setPort(0))
          .requestHandler(r -> r.response().end("ok"))
          .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.actualPort() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("ok", answer.body());
      String scraped = ((PrometheusMeterRegistry) BackendRegistries.getDefaultNow()).scrape();
      assertTrue(scraped.contains("vertx_http_server_requests_total"), scraped);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
