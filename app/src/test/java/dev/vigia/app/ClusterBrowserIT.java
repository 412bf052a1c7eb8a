package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page's move control (issue 11) in a real headless Chromium against two node processes: an
 * admin moves a session to the other node from the overview (Spanish), sees it said and the Node
 * column change; the control in English; a move to a node that died meanwhile is refused and the
 * page says so in the person's language; an operator sees the Node column but no move control.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterBrowserIT {

  static final Duration LIVE = BrowserTest.LIVE;
  static final List<String> ORGS = List.of("o1", "o2", "o3", "o4");
  static final String OPERATOR_PASSWORD = "operator-of-o1";

  @TempDir Path dir;
  @TempDir Path profile;
  final ClusterProcesses cluster = new ClusterProcesses();
  ChromeDriver browser;
  Map<String, Map<String, String>> texts;

  @AfterEach
  void stopAll() {
    if (browser != null) {
      browser.quit();
    }
    cluster.killAll();
  }

  @Test
  void anAdminMovesASessionFromThePageAndSeesARefusalSaid(Vertx vertx) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/webroot/i18n.json")) {
      texts = new ObjectMapper().readValue(in, new TypeReference<>() {});
    }
    PgSettings db = TestPostgres.newDatabase();
    int whatsApp = cluster.startWhatsApp(dir, 2_000);
    List<ClusterProcesses.Node> nodes = cluster.nodes(dir, 2, Map.of(
        "VIGIA_PG_URL", db.toUrl(),
        "VIGIA_SIM_WHATSAPP", "127.0.0.1:" + whatsApp,
        "VIGIA_CLUSTER_LEASE_MS", "5000",
        "VIGIA_CLUSTER_RENEW_MS", "1000",
        "VIGIA_CLUSTER_STOP_MARGIN_MS", "1500"));
    cluster.start(nodes.get(0));
    cluster.awaitReady(nodes.get(0), 90);
    cluster.start(nodes.get(1));
    cluster.awaitReady(nodes.get(1), 90);
    ApiClient one = new ApiClient(vertx, nodes.get(0).httpPort());
    ApiClient two = new ApiClient(vertx, nodes.get(1).httpPort());
    assertEquals(200, one.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    assertEquals(200, two.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    for (int i = 0; i < ORGS.size(); i++) {
      String org = ORGS.get(i);
      ApiClient via = i % 2 == 0 ? one : two; // each node takes the orgs it is asked to connect
      assertEquals(201, via.post("/api/orgs", new JsonObject().put("id", org).put("name", org))
          .statusCode());
      assertEquals(202, via.post("/api/sessions/" + org + "/connect", new JsonObject())
          .statusCode());
      via.await("/api/sessions/" + org, s -> "QR_REQUIRED".equals(s.getString("state")), 30);
      int scan = via.post("/api/sim/sessions/" + org + "/scan", new JsonObject()).statusCode();
      assertTrue(scan == 200 || scan == 202, org + ": " + scan);
    }
    Map<String, String> owners = cluster.awaitAllConnected(one, ORGS.size(),
        Set.of("node-1", "node-2"), 30);
    assertEquals(201, one.post("/api/users", new JsonObject().put("username", "op1")
        .put("password", OPERATOR_PASSWORD).put("role", "operator")
        .put("orgs", new JsonArray().add("o1"))).statusCode());

    // an admin, in Spanish, on node-1's page: o1 goes to the other node
    openBrowser("es-ES");
    String base = "http://127.0.0.1:" + nodes.get(0).httpPort();
    login(base, "admin", SpineScenarioTest.ADMIN_PASSWORD);
    String from = owners.get("o1");
    String to = "node-1".equals(from) ? "node-2" : "node-1";
    By select = By.cssSelector("[data-testid='move-node'][data-org='o1']");
    By move = By.cssSelector("[data-testid='move'][data-org='o1']");
    waitFor(select);
    // the table is rebuilt when the list changes (names, today's counts): find afresh each time
    assertEquals(text("es", "overview.move.label").replace("{org}", "o1"),
        fresh(() -> browser.findElement(select).getDomAttribute("aria-label")));
    assertEquals(List.of(to), fresh(() -> new Select(browser.findElement(select)).getOptions()
        .stream().map(WebElement::getText).toList()), "the other live nodes, not its own");
    assertEquals(text("es", "overview.move.button"),
        fresh(() -> browser.findElement(move).getText()));
    fresh(() -> {
      new Select(browser.findElement(select)).selectByValue(to);
      browser.findElement(move).click();
      return null;
    });
    assertEquals(text("es", "overview.move.done").replace("{org}", "o1").replace("{node}", to),
        waitFor(By.cssSelector("[data-testid='notice-success'] .notice-text")).getText());
    awaitNodeShown("o1", to);
    screenshot("cluster-es-moved");
    assertEquals(to, one.json(one.get("/api/sessions/o1")).getString("node"), "moved for real");

    // the same control in English
    browser.findElement(By.cssSelector("[data-testid='lang-switch']")).click();
    new WebDriverWait(browser, LIVE).until(d -> "en".equals(js("return document.documentElement.lang;")));
    new WebDriverWait(browser, LIVE).ignoring(StaleElementReferenceException.class)
        .until(d -> text("en", "overview.move.button").equals(browser.findElement(move).getText())
            && text("en", "overview.move.label").replace("{org}", "o1").equals(
                browser.findElement(select).getDomAttribute("aria-label")));

    // node-2 dies while the page still offers it: the move is refused, and the page says why
    String onOne = cluster.awaitAllConnected(one, ORGS.size(), Set.of("node-1", "node-2"), 30)
        .entrySet().stream().filter(e -> "node-1".equals(e.getValue())).map(Map.Entry::getKey)
        .findFirst().orElseThrow();
    cluster.kill9(nodes.get(1));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (one.json(one.get("/api/cluster/nodes")).getJsonArray("nodes").contains("node-2")) {
      assertTrue(System.nanoTime() < deadline, "node-2 never left the live nodes");
      Thread.sleep(200);
    }
    // select and press at once: the rows are rebuilt as node-2's sessions come to node-1
    js("const o = arguments[0];"
        + " const s = document.querySelector(`[data-testid='move-node'][data-org='${o}']`);"
        + " s.value = 'node-2'; s.dispatchEvent(new Event('change'));"
        + " document.querySelector(`[data-testid='move'][data-org='${o}']`).click();", onOne);
    WebElement error = waitFor(By.cssSelector("[data-testid='notice-error']"));
    assertEquals(text("en", "overview.move.unknownNode").replace("{org}", onOne)
        .replace("{node}", "node-2"), error.findElement(By.cssSelector(".notice-text")).getText());
    assertEquals("alert", error.getDomAttribute("role"), "read out at once");
    screenshot("cluster-en-refused");
    new WebDriverWait(browser, LIVE).pollingEvery(Duration.ofMillis(100))
        .withMessage(() -> "the page still offers the dead node-2")
        .until(d -> browser.findElements(By.cssSelector(
            "[data-testid='move-node'] option[value='node-2']")).isEmpty());
    assertEquals("node-1", one.json(one.get("/api/sessions/" + onOne)).getString("node"));

    // an operator sees where its session runs, and no move control
    browser.manage().deleteAllCookies();
    login(base, "op1", OPERATOR_PASSWORD);
    waitFor(By.cssSelector("[data-testid='org-row'][data-org='o1'] [data-testid='org-node']"));
    assertTrue(browser.findElements(By.cssSelector("[data-testid='move-node'],"
        + " [data-testid='move']")).isEmpty(), "an operator is offered no move");
    screenshot("cluster-en-operator");
    assertFalse(browser.findElements(By.cssSelector("[data-testid='org-row']")).isEmpty());
  }

  /** {@code action} again while the element it found was replaced by a re-render. */
  private static <T> T fresh(java.util.function.Supplier<T> action) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return action.get();
      } catch (StaleElementReferenceException e) {
        if (attempt >= 20) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private void awaitNodeShown(String org, String node) {
    new WebDriverWait(browser, LIVE).pollingEvery(Duration.ofMillis(100))
        .withMessage(() -> "the page did not show " + org + " on " + node)
        .until(d -> node.equals(js("const c = document.querySelector("
            + "`[data-testid='org-row'][data-org='${arguments[0]}'] [data-testid='org-node']`);"
            + " return c ? c.textContent : null;", org)));
  }

  private void login(String base, String username, String password) {
    browser.get(base + "/");
    waitFor(By.cssSelector("[data-testid='login-username']")).sendKeys(username);
    browser.findElement(By.cssSelector("[data-testid='login-password']")).sendKeys(password);
    browser.findElement(By.cssSelector("[data-testid='login-submit']")).click();
    waitFor(By.cssSelector("[data-testid='org-row'][data-org='o1']"));
  }

  private void openBrowser(String language) throws Exception {
    browser = BrowserTest.headlessChromium(profile, language);
  }

  private WebElement waitFor(By what) {
    return new WebDriverWait(browser, LIVE).pollingEvery(Duration.ofMillis(100))
        .until(ExpectedConditions.presenceOfElementLocated(what));
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private String text(String lang, String key) {
    String value = texts.get(lang).get(key);
    assertTrue(value != null, "no " + lang + " text for " + key);
    return value;
  }

  private void screenshot(String name) throws Exception {
    Files.write(BrowserTest.SCREENSHOTS.resolve(name + ".png"),
        browser.getScreenshotAs(OutputType.BYTES));
  }
}
