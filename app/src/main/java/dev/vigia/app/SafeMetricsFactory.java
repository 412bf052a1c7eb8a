package dev.vigia.app;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.MicrometerMetricsFactory;

/**
 * Vert.x's Micrometer metrics, with the HTTP server's made safe for a connection the metrics never
 * heard of. Vert.x 5.0.8 can accept a connection in the instant its server starts listening,
 * before the server has its metrics: that connection has no socket metric, and its first request
 * or error then hands the metrics a null, which Micrometer dereferences ("Cannot read field
 * "tags" because "socketMetric" is null"). The request is then never answered: a {@code /health}
 * asked at that instant waited for its client's timeout (10 s, seen once in about thirty
 * launches of the restart benchmark; once a cluster node's {@code /health/ready}). Such a
 * connection is served without metrics.
 */
final class SafeMetricsFactory implements VertxMetricsFactory {

  private final VertxMetricsFactory micrometer = new MicrometerMetricsFactory();

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    return new Safe(micrometer.metrics(options));
  }

  @Override
  public MetricsOptions newOptions() {
    return micrometer.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return micrometer.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return micrometer.newOptions(json);
  }

  /** Every metric as Micrometer's, the HTTP server's through {@link NullSafeServer}. */
  private record Safe(VertxMetrics delegate) implements VertxMetrics {

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options,
        SocketAddress localAddress) {
      HttpServerMetrics<?, ?, ?> server = delegate.createHttpServerMetrics(options, localAddress);
      return server == null ? null : new NullSafeServer(server);
    }

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return delegate.createEventBusMetrics();
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type,
        String namespace) {
      return delegate.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      return delegate.createHttpClientMetrics(options);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options,
        SocketAddress localAddress) {
      return delegate.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return delegate.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return delegate.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
      return delegate.createPoolMetrics(poolType, poolName, maxPoolSize);
    }

    @Override
    public void vertxCreated(Vertx vertx) {
      delegate.vertxCreated(vertx);
    }

    @Override
    public boolean isMetricsEnabled() {
      return delegate.isMetricsEnabled();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /**
   * An HTTP server's metrics that skip what concerns a connection without a socket metric (and
   * so its requests, which then have no request metric either). Package-private for its test.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static final class NullSafeServer implements HttpServerMetrics<Object, Object, Object> {

    private final HttpServerMetrics<Object, Object, Object> delegate;

    NullSafeServer(HttpServerMetrics<?, ?, ?> delegate) {
      this.delegate = (HttpServerMetrics) delegate;
    }

    @Override
    public Object connected(SocketAddress remoteAddress, String remoteName) {
      return delegate.connected(remoteAddress, remoteName);
    }

    @Override
    public void disconnected(Object socket, SocketAddress remoteAddress) {
      if (socket != null) {
        delegate.disconnected(socket, remoteAddress);
      }
    }

    @Override
    public void bytesRead(Object socket, SocketAddress remoteAddress, long bytes) {
      if (socket != null) {
        delegate.bytesRead(socket, remoteAddress, bytes);
      }
    }

    @Override
    public void bytesWritten(Object socket, SocketAddress remoteAddress, long bytes) {
      if (socket != null) {
        delegate.bytesWritten(socket, remoteAddress, bytes);
      }
    }

    @Override
    public void exceptionOccurred(Object socket, SocketAddress remoteAddress, Throwable t) {
      if (socket != null) {
        delegate.exceptionOccurred(socket, remoteAddress, t);
      }
    }

    @Override
    public Object requestBegin(Object socket, HttpRequest request) {
      return socket == null ? null : delegate.requestBegin(socket, request);
    }

    @Override
    public void requestEnd(Object request, HttpRequest req, long bytesRead) {
      if (request != null) {
        delegate.requestEnd(request, req, bytesRead);
      }
    }

    @Override
    public void requestReset(Object request) {
      if (request != null) {
        delegate.requestReset(request);
      }
    }

    @Override
    public void responseBegin(Object request, HttpResponse response) {
      if (request != null) {
        delegate.responseBegin(request, response);
      }
    }

    @Override
    public Object responsePushed(Object socket, HttpMethod method, String uri,
        HttpResponse response) {
      return socket == null ? null : delegate.responsePushed(socket, method, uri, response);
    }

    @Override
    public void responseEnd(Object request, HttpResponse response, long bytesWritten) {
      if (request != null) {
        delegate.responseEnd(request, response, bytesWritten);
      }
    }

    @Override
    public Object connected(Object socket, Object request, ServerWebSocket webSocket) {
      return socket == null || request == null ? null
          : delegate.connected(socket, request, webSocket);
    }

    @Override
    public void disconnected(Object webSocket) {
      if (webSocket != null) {
        delegate.disconnected(webSocket);
      }
    }

    @Override
    public void requestRouted(Object request, String route) {
      if (request != null) {
        delegate.requestRouted(request, route);
      }
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
