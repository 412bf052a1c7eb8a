package dev.vigia.common.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import dev.vigia.common.config.ClusterSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A Vert.x whose event bus spans the nodes of a cluster (issue 11), over Hazelcast: members found
 * by TCP on the addresses {@code VIGIA_CLUSTER_MEMBERS} gives (no multicast, no cloud discovery,
 * nothing sent outside them), this node listening on {@code VIGIA_CLUSTER_HOST:PORT}.
 *
 * <p>Hazelcast only carries the event bus' registry and membership; who owns a session is decided
 * by leases in PostgreSQL ({@code LeaseManager}), never by a Hazelcast lock: a paused node keeps
 * believing it holds one.
 */
public final class ClusteredVertx {

  /** Every Vigía cluster has this Hazelcast cluster name; other Hazelcast clusters stay apart. */
  public static final String CLUSTER_NAME = "vigia";

  private ClusteredVertx() {}

  /** Starts a clustered Vert.x with {@code options} (metrics and the like) and the cluster's network. */
  public static Future<Vertx> start(ClusterSettings settings, VertxOptions options) {
    return start(settings, options, null);
  }

  /** As {@link #start(ClusterSettings, VertxOptions)}, with {@code metrics} (null: none). */
  public static Future<Vertx> start(ClusterSettings settings, VertxOptions options,
      VertxMetricsFactory metrics) {
    options.setEventBusOptions(new EventBusOptions()
        .setHost(settings.host()).setClusterPublicHost(settings.host())
        .setPort(settings.busPort()));
    VertxBuilder builder = Vertx.builder().with(options);
    if (metrics != null) {
      builder.withMetrics(metrics);
    }
    return builder
        .withClusterManager(new HazelcastClusterManager(hazelcast(settings)))
        .buildClustered();
  }

  /** The Hazelcast configuration: vertx-hazelcast's own structures, TCP join, no phoning home. */
  static Config hazelcast(ClusterSettings settings) {
    Config config = new Config();
    config.setClusterName(CLUSTER_NAME);
    config.setInstanceName("vigia-" + settings.nodeId());
    // Hazelcast would otherwise report usage to its vendor and keep the JVM alive on its own hook
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // a member silent this long is dropped from the bus; ownership never depends on it (leases)
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "20");
    // a leaving member hands its partitions over; past this it leaves anyway (a stop must end)
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "5");
    NetworkConfig network = config.getNetworkConfig();
    // listen on VIGIA_CLUSTER_HOST only (not every interface), on exactly the port given
    config.setProperty("hazelcast.local.localAddress", settings.host());
    config.setProperty("hazelcast.socket.bind.any", "false");
    network.setPort(settings.port()).setPortAutoIncrement(false);
    network.getRestApiConfig().setEnabled(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
    // what vertx-hazelcast's default-cluster.xml declares: the bus' registry, kept on two members
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return config;
  }
}
