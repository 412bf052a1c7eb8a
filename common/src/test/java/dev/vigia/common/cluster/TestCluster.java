package dev.vigia.common.cluster;

import dev.vigia.common.config.ClusterSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cluster settings for test nodes on 127.0.0.1, each Hazelcast member on a free port and every
 * member in every node's list (TCP join), and starting their clustered Vert.x.
 */
public final class TestCluster {

  private TestCluster() {}

  /** Settings of {@code n} nodes named {@code node-1…node-n}, with the given lease timings. */
  public static List<ClusterSettings> settings(int n, long leaseMillis, long renewMillis,
      long stopMarginMillis) throws IOException {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ports.add(freePort());
    }
    List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    List<ClusterSettings> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ClusterSettings(true, "node-" + (i + 1), "127.0.0.1", ports.get(i), 0, members,
          leaseMillis, renewMillis, stopMarginMillis));
    }
    return out;
  }

  /** Starts one clustered Vert.x per settings, together (each waits for the others to join). */
  public static List<Vertx> start(List<ClusterSettings> nodes) throws Exception {
    List<Future<Vertx>> started = nodes.stream()
        .map(s -> ClusteredVertx.start(s, new VertxOptions())).toList();
    List<Vertx> out = new ArrayList<>();
    for (Future<Vertx> f : started) {
      out.add(await(f));
    }
    return out;
  }

  /** Closes every node at once (one by one, each leaving member waits for the rest to rebalance). */
  public static void closeAll(List<Vertx> nodes) throws Exception {
    await(Future.join(nodes.stream().map(Vertx::close).toList()));
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
