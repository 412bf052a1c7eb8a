package dev.vigia.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cluster variables as start-up reads them: good values kept, a bad one named in one line. */
class ClusterSettingsTest {

  private static Map<String, String> node(String... keyValues) {
    Map<String, String> m = new HashMap<>(Map.of(
        "VIGIA_CLUSTER", "true", "VIGIA_NODE_ID", "node-1",
        "VIGIA_STORE", "postgres", "VIGIA_PG_URL", "postgresql://vigia:pw@127.0.0.1:5432/vigia",
        "VIGIA_CLUSTER_MEMBERS", "127.0.0.1:5701, 127.0.0.1:5702",
        "VIGIA_ENGINE", "simulated", "VIGIA_SIM_WHATSAPP", "127.0.0.1:7070"));
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  @Test
  void aClusterNodeIsReadWithItsDefaults() {
    VigiaConfig config = VigiaConfig.fromMap(node());
    ClusterSettings c = config.cluster();
    assertTrue(c.enabled());
    assertEquals("node-1", c.nodeId());
    assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702"), c.members());
    assertEquals("127.0.0.1", c.host());
    assertEquals(5701, c.port());
    assertEquals(0, c.busPort());
    assertEquals(15_000, c.leaseMillis());
    assertEquals(5_000, c.renewMillis());
    assertEquals(3_000, c.stopMarginMillis());
    assertEquals("127.0.0.1:7070", config.sim().whatsApp());
    // what verticles receive as JSON reads back the same
    assertEquals(config.cluster(), VigiaConfig.fromJson(config.toJson()).cluster());
    assertEquals(config.cluster(), config.with("VIGIA_HTTP_PORT", "0").cluster());
  }

  @Test
  void oneNodeAloneNeedsNoneOfIt() {
    ClusterSettings c = VigiaConfig.defaultsOnly().cluster();
    assertFalse(c.enabled());
    assertEquals(List.of(), c.members());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "VIGIA_NODE_ID|''|VIGIA_NODE_ID must be set",
      "VIGIA_NODE_ID|node.1|VIGIA_NODE_ID: use 1 to 64",
      "VIGIA_CLUSTER_MEMBERS|''|VIGIA_CLUSTER_MEMBERS must be set",
      "VIGIA_CLUSTER_MEMBERS|127.0.0.1|VIGIA_CLUSTER_MEMBERS: '127.0.0.1' is not host:port",
      "VIGIA_CLUSTER_MEMBERS|127.0.0.1:99999|VIGIA_CLUSTER_MEMBERS: '127.0.0.1:99999'",
      "VIGIA_CLUSTER_PORT|0|VIGIA_CLUSTER_PORT=0 is out of range",
      "VIGIA_CLUSTER_BUS_PORT|x|VIGIA_CLUSTER_BUS_PORT=x is not a whole number",
      "VIGIA_CLUSTER_HOST|a b|VIGIA_CLUSTER_HOST=a b is not a host",
      "VIGIA_CLUSTER_LEASE_MS|10000|VIGIA_CLUSTER_LEASE_MS=10000 must be at least twice",
      "VIGIA_CLUSTER|maybe|VIGIA_CLUSTER=maybe is not true or false",
      "VIGIA_STORE|file|VIGIA_CLUSTER=true needs VIGIA_STORE=postgres",
      "VIGIA_SIM_WHATSAPP|''|VIGIA_SIM_WHATSAPP must be set",
      "VIGIA_SIM_WHATSAPP|http://x|VIGIA_SIM_WHATSAPP=http://x is not host:port"})
  void aBadValueStopsStartWithOneLineNamingIt(String key, String value, String expected) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> VigiaConfig.fromMap(node(key, value)));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void theRealEngineInAClusterNeedsNoSimulatedWhatsApp() {
    VigiaConfig config = VigiaConfig.fromMap(
        node("VIGIA_ENGINE", "baileys", "VIGIA_SIM_WHATSAPP", ""));
    assertTrue(config.cluster().enabled());
  }
}
