package dev.vigia.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code VIGIA_DISK_WARN_*}, {@code VIGIA_NETWORK_TARGET}, {@code VIGIA_CHECK_INTERVAL_SECONDS}. */
class ChecksConfigTest {

  @Test
  void theDefaultsWarnUnderTenPercentOrOneGibAndCheckWhatsAppsAddress() {
    VigiaConfig.Checks checks = VigiaConfig.defaultsOnly().checks();
    assertEquals("web.whatsapp.com:443", checks.networkTarget());
    assertEquals("web.whatsapp.com", checks.networkHost());
    assertEquals(443, checks.networkPort());
    assertEquals(30, checks.intervalSeconds());
    long gib = 1L << 30;
    // a 4 GiB disk: 10 % is 410 MiB, so the 1 GiB rule is the one that warns
    assertEquals(gib, checks.diskWarnBytes(4 * gib));
    // a 100 GiB disk: 10 % (10 GiB) warns first
    assertEquals(100 * gib / 100 * 10, checks.diskWarnBytes(100 * gib));
  }

  @Test
  void eachRuleCanBeChangedOrTurnedOffAndTheNetworkCheckToo() {
    VigiaConfig.Checks checks = VigiaConfig.fromMap(Map.of("VIGIA_DISK_WARN_PERCENT", "0",
        "VIGIA_DISK_WARN_MB", "0", "VIGIA_NETWORK_TARGET", "off",
        "VIGIA_CHECK_INTERVAL_SECONDS", "1")).checks();
    assertEquals(0, checks.diskWarnBytes(1L << 40));
    assertNull(checks.networkTarget());
    assertNull(checks.networkHost());
    assertEquals(1, checks.intervalSeconds());
    assertEquals("127.0.0.1:5222", VigiaConfig.fromMap(Map.of("VIGIA_NETWORK_TARGET",
        "127.0.0.1:5222")).checks().networkTarget());
    // the same configuration again, through the copy every test and subcommand uses
    assertNull(VigiaConfig.fromMap(Map.of("VIGIA_NETWORK_TARGET", "off"))
        .with("VIGIA_HTTP_PORT", "0").checks().networkTarget());
  }

  @Test
  void aBadValueStopsTheStartNamingTheVariable() {
    for (Map.Entry<String, String> bad : Map.of("VIGIA_NETWORK_TARGET", "web.whatsapp.com",
        "VIGIA_DISK_WARN_PERCENT", "100", "VIGIA_DISK_WARN_MB", "lots",
        "VIGIA_CHECK_INTERVAL_SECONDS", "0").entrySet()) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> VigiaConfig.fromMap(Map.of(bad.getKey(), bad.getValue())));
      assertTrue(e.getMessage().startsWith(bad.getKey()), e.getMessage());
    }
    assertThrows(ConfigException.class,
        () -> VigiaConfig.fromMap(Map.of("VIGIA_NETWORK_TARGET", "host:99999")));
  }
}
