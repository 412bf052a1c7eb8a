package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 9 §2 in the page, with a real headless Chromium (through {@link BrowserTest}'s helpers),
 * in Spanish and in English: the Operations page shows the engine, the store, the disk under its
 * warning threshold and WhatsApp's address unreachable, each problem with its fix in the
 * person's language; the engine restarts after a confirmation and the org's journal says who;
 * the org's log page shows its history and the server's lines, and a clear made elsewhere appears
 * there live.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RunbookBrowserTest {

  static final Duration LIVE = BrowserTest.LIVE;

  @TempDir Path data;
  @TempDir Path profile;
  final BrowserTest page = new BrowserTest();
  Vigia vigia;

  @BeforeAll
  static void readTexts() throws IOException {
    BrowserTest.readTexts();
  }

  @AfterEach
  void stop() {
    page.stop();
  }

  @Test
  void spanishAdminChecksTheServerRestartsTheEngineAndFollowsAnOrgsLog(Vertx vertx)
      throws Exception {
    operations(vertx, "es");
  }

  @Test
  void englishAdminChecksTheServerRestartsTheEngineAndFollowsAnOrgsLog(Vertx vertx)
      throws Exception {
    operations(vertx, "en");
  }

  private void operations(Vertx vertx, String lang) throws Exception {
    ApiClient admin = start(vertx);
    page.openBrowser(lang);
    page.login(lang, "admin", SpineScenarioTest.ADMIN_PASSWORD, "2");

    page.waitFor(By.cssSelector("[data-testid='nav-ops']")).click();
    WebElement disk = page.waitFor(By.cssSelector(
        "[data-testid='ops-check'][data-check='disk'][data-status='WARN']"));
    assertTrue(disk.getText().contains(BrowserTest.text(lang, "ops.disk.low")), disk.getText());
    WebElement network = page.waitFor(By.cssSelector(
        "[data-testid='ops-check'][data-check='network'][data-status='DOWN']"));
    assertTrue(network.getText().contains(BrowserTest.text(lang, "ops.status.DOWN")),
        network.getText());
    page.waitFor(By.cssSelector("[data-testid='ops-check'][data-check='engine'][data-status='UP']"));
    page.waitFor(By.cssSelector("[data-testid='ops-session-row'][data-org='2']"
        + "[data-state='CONNECTED']"));
    for (String code : new String[] {"disk_low", "network_down"}) {
      WebElement problem = page.waitFor(By.cssSelector(
          "[data-testid='ops-problem'][data-code='" + code + "']"));
      assertTrue(problem.getText().contains(BrowserTest.text(lang, "doctor." + code + ".fix")),
          code + " shows its fix in " + lang + ": " + problem.getText());
    }
    page.checkPage(lang, "ops", "ops.title");

    // pm2 restart, in the page: a confirmation first; the org reconnects and its journal says who
    page.button("ops-restart").click();
    page.waitFor(By.cssSelector("dialog[data-testid='confirm-dialog'][open]"));
    assertEquals(BrowserTest.text(lang, "ops.restart.confirm"), page.button("confirm-ok").getText());
    page.button("confirm-ok").click();
    WebElement done = page.waitFor(By.cssSelector("[data-testid='notice-success']"));
    assertEquals(BrowserTest.text(lang, "ops.restart.done").replace("{count}", "1"),
        done.getText().replace("×", "").trim());
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state"))
        && s.getJsonObject("cause") == null, 20);
    page.screenshot(lang + "-ops-restarted");
    done.findElement(By.cssSelector(".notice-close")).click(); // as a person would, to reach the list

    // pm2 logs, in the page: the org's history and the server's lines, then live
    page.waitFor(By.cssSelector("[data-testid='ops-session-row'][data-org='2']"
        + " [data-testid='ops-logs-link']")).click();
    new WebDriverWait(page.browser, LIVE).until(d -> BrowserTest.text(lang, "orglogs.title")
        .replace("{name}", "CompuEasys").equals(page.h1()));
    page.waitFor(By.cssSelector("[data-testid='orglogs-live'][data-live='on']"));
    WebElement restartEntry = page.waitFor(By.cssSelector(
        "[data-testid='orglogs-entry'][data-kind='operation']"));
    assertTrue(restartEntry.getText().contains("WhatsApp engine restarted by user:admin"),
        restartEntry.getText());
    page.waitFor(By.cssSelector("[data-testid='orglogs-line']"));
    page.checkPage(lang, "orglogs", "orglogs.title");

    int before = page.browser.findElements(By.cssSelector("[data-testid='orglogs-entry']")).size();
    assertEquals(200, admin.post("/api/sessions/2/clear", new JsonObject()).statusCode());
    new WebDriverWait(page.browser, LIVE).pollingEvery(Duration.ofMillis(100))
        .withMessage("the clear appears in the open log page by itself")
        .until(d -> d.findElements(By.cssSelector("[data-testid='orglogs-entry']")).stream()
            .skip(before).anyMatch(e -> e.getText().contains("Session cleared by user:admin")));
    page.screenshot(lang + "-orglogs-live");
    page.assertNoScriptErrors(lang + " org log");
  }

  /**
   * Vigía with org 2 linked, a disk threshold no disk reaches (so the disk warns) and WhatsApp's
   * address a closed port of 127.0.0.1 (so the network is down).
   */
  private ApiClient start(Vertx vertx) throws IOException, InterruptedException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    VigiaConfig config = VigiaConfig.fromMap(Map.of(
        "VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", data.toString(),
        "VIGIA_ENGINE", "simulated",
        "VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD,
        "VIGIA_SIM_RESTART_MS", "50",
        "VIGIA_DISK_WARN_MB", "100000000",
        "VIGIA_NETWORK_TARGET", "127.0.0.1:" + closed,
        "VIGIA_CHECK_INTERVAL_SECONDS", "1"));
    vigia = ApiClient.await(Vigia.start(config, Clock.systemUTC()));
    page.vigia = vigia;
    page.profile = profile;
    page.base = "http://127.0.0.1:" + vigia.httpPort();
    ApiClient admin = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    assertEquals(201, admin.post("/api/orgs",
        new JsonObject().put("id", "2").put("name", "CompuEasys")).statusCode());
    admin.post("/api/sessions/2/connect", new JsonObject());
    admin.await("/api/sessions/2", s -> "QR_REQUIRED".equals(s.getString("state")), 15);
    admin.post("/api/sim/sessions/2/scan", new JsonObject());
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 15);
    return admin;
  }
}
