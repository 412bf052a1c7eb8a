package dev.vigia.app;

import static dev.vigia.app.BrowserTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 9 in the browser (Debian's headless Chromium through chromedriver, as {@link BrowserTest}):
 * the org's page lists its archived sessions, offers restore only when nothing live would be
 * replaced, asks for a confirmation, and says what WhatsApp answered — connected without a QR,
 * or the login refused. In Spanish and in English, every text translated, every control named.
 * Screenshots go to {@code target/screenshots/archives-*}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ArchiveBrowserTest {

  static final Duration LIVE = BrowserTest.LIVE;

  @TempDir Path data;
  @TempDir Path profile;
  Vigia vigia;
  ChromeDriver browser;
  String base;

  @BeforeAll
  static void readTexts() throws IOException {
    try (InputStream in = ArchiveBrowserTest.class.getResourceAsStream("/webroot/i18n.json")) {
      assertTrue(in != null, "the page's texts are on the classpath");
      BrowserTest.texts = new ObjectMapper().readValue(in, new TypeReference<>() {});
    }
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (vigia != null) {
      vigia.stopAndWait();
    }
  }

  @Test
  void aSpanishPersonRestoresAClearedSessionAndSeesAnUnlinkedOneRefused(Vertx vertx)
      throws Exception {
    restoreInThePage(vertx, "es-ES", "es");
  }

  @Test
  void anEnglishPersonRestoresAClearedSessionAndSeesAnUnlinkedOneRefused(Vertx vertx)
      throws Exception {
    restoreInThePage(vertx, "en-GB", "en");
  }

  private void restoreInThePage(Vertx vertx, String browserLanguage, String lang)
      throws Exception {
    String p = "archives-" + lang + "-";
    ApiClient admin = startVigiaWithOrg2(vertx);
    // the first phone links and is cleared; a second one links and stays connected
    String first = ArchiveScenarioTest.link(admin);
    assertEquals(200, admin.post("/api/sessions/2/clear", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "STOPPED".equals(s.getString("state")), 10);
    String firstArchive = ArchiveScenarioTest.archives(admin).getJsonObject(0).getString("id");
    ArchiveScenarioTest.link(admin);

    openBrowser(browserLanguage);
    login(lang);
    browser.get(base + "/#/org/2");
    waitForState("CONNECTED");
    WebElement row = waitFor(By.cssSelector(
        "[data-testid='archive-row'][data-archive='" + firstArchive + "']"));
    assertEquals(text(lang, "archives.title"),
        waitFor(By.id("archives-heading")).getText().trim());
    String phone = "+" + first.split(":")[0];
    assertEquals(text(lang, "archives.linked").replace("{phone}", phone),
        row.findElement(By.cssSelector("[data-testid='archive-login']")).getText().trim());
    assertTrue(row.getText().contains("admin"), "who cleared it: " + row.getText());
    assertTrue(row.getText().contains(text(lang, "archives.reason.clear")), row.getText());
    // a live session is never replaced: the control says why it cannot be used now
    WebElement restore = row.findElement(By.cssSelector("[data-testid='archive-restore']"));
    assertFalse(restore.isEnabled(), "restore while CONNECTED");
    assertEquals(text(lang, "archives.liveHint"),
        waitFor(By.cssSelector("[data-testid='archives-live-hint']")).getText().trim());
    checkPage(lang, p + "01-live");

    // the second phone's session is cleared: restore becomes possible, without a reload
    js("window.vigiaNoReload = 'same page';");
    assertEquals(200, admin.post("/api/sessions/2/clear", new JsonObject()).statusCode());
    waitForState("STOPPED");
    new WebDriverWait(browser, LIVE).pollingEvery(Duration.ofMillis(100))
        .until(d -> d.findElements(By.cssSelector("[data-testid='archive-row']")).size() == 2);
    new WebDriverWait(browser, LIVE).until(d -> restoreButton(firstArchive).isEnabled());
    assertTrue(browser.findElements(By.cssSelector("[data-testid='archives-live-hint']")).isEmpty());
    screenshot(p + "02-cleared");

    // a change of mind is free: cancel restores nothing
    restoreButton(firstArchive).click();
    waitFor(By.cssSelector("dialog[data-testid='confirm-dialog'][open]"));
    assertEquals(text(lang, "archives.confirmTitle"), button("confirm-dialog")
        .findElement(By.id("confirm-title")).getText().trim());
    button("confirm-cancel").click();
    Thread.sleep(300); // a request the cancel would have sent shows now; the test thread
    assertEquals("STOPPED", admin.json(admin.get("/api/sessions/2")).getString("state"));

    // restore, confirmed: CONNECTED with the first phone's device, and no QR on the way
    js("""
        window.vigiaQrShown = 0;
        new MutationObserver(() => {
          if (document.querySelector("img[data-testid='qr'], [data-testid='qr-wait']")) window.vigiaQrShown++;
        }).observe(document.body, { childList: true, subtree: true });""");
    restoreButton(firstArchive).click();
    waitFor(By.cssSelector("dialog[data-testid='confirm-dialog'][open]"));
    String body = browser.findElement(By.id("confirm-body")).getText();
    assertTrue(body.contains(phone), "the dialog names the number: " + body);
    assertEquals(text(lang, "archives.confirm"), button("confirm-ok").getText());
    screenshot(p + "03-confirm");
    button("confirm-ok").click();
    waitForNotice("notice-success", "archives.connected");
    waitForState("CONNECTED");
    assertEquals(0L, js("return window.vigiaQrShown;"), "a QR showed during the restore");
    assertEquals("same page", js("return window.vigiaNoReload;"));
    assertEquals(first, admin.json(admin.get("/api/sessions/2")).getJsonObject("me")
        .getString("jid"), "the first phone's device is back");
    new WebDriverWait(browser, LIVE).pollingEvery(Duration.ofMillis(100))
        .until(d -> d.findElements(By.cssSelector("[data-testid='archive-row']")).size() == 1);
    checkPage(lang, p + "04-restored");

    // WhatsApp removes that device; its archive comes back, and WhatsApp refuses it
    assertEquals(202, admin.post("/api/sim/sessions/2/fault",
        new JsonObject().put("kind", "logged_out")).statusCode());
    waitForState("LOGGED_OUT");
    new WebDriverWait(browser, LIVE).pollingEvery(Duration.ofMillis(100))
        .until(d -> d.findElements(By.cssSelector("[data-testid='archive-row']")).size() == 2);
    WebElement dead = browser.findElements(By.cssSelector("[data-testid='archive-row']")).get(0);
    assertTrue(dead.getText().contains(text(lang, "archives.reason.loggedOut")), dead.getText());
    assertTrue(dead.getText().contains(text(lang, "archives.actor.vigia")), dead.getText());
    String deadId = dead.getDomAttribute("data-archive");
    new WebDriverWait(browser, LIVE).until(d -> restoreButton(deadId).isEnabled());
    dismissNotices(); // the "connected" notice sits over the list's last rows, as for a person
    restoreButton(deadId).click();
    waitFor(By.cssSelector("dialog[data-testid='confirm-dialog'][open]"));
    button("confirm-ok").click();
    waitForNotice("notice-error", "archives.rejected");
    waitForState("LOGGED_OUT");
    assertEquals(text(lang, "state.LOGGED_OUT"),
        browser.findElement(By.cssSelector("[data-testid='state-card'] [data-testid='state']"))
            .getText().trim());
    checkPage(lang, p + "05-refused");
  }

  // ---- set-up and helpers (as BrowserTest's) ----

  private ApiClient startVigiaWithOrg2(Vertx vertx) {
    VigiaConfig config = VigiaConfig.fromMap(Map.of(
        "VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", data.toString(),
        "VIGIA_ENGINE", "simulated",
        "VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD,
        "VIGIA_SIM_QR_FIRST_MS", "20000",
        "VIGIA_SIM_RESTART_MS", "50"));
    vigia = ApiClient.await(Vigia.start(config, Clock.systemUTC()));
    base = "http://127.0.0.1:" + vigia.httpPort();
    ApiClient admin = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    assertEquals(201, admin.post("/api/orgs",
        new JsonObject().put("id", "2").put("name", "CompuEasys")).statusCode());
    return admin;
  }

  private void openBrowser(String language) throws IOException {
    browser = BrowserTest.headlessChromium(profile, language);
  }

  private void login(String lang) {
    browser.get(base + "/");
    WebElement user = waitFor(By.cssSelector("[data-testid='login-username']"));
    assertEquals(lang, js("return document.documentElement.lang;"),
        "the browser's language picks the page's");
    user.sendKeys("admin");
    browser.findElement(By.cssSelector("[data-testid='login-password']"))
        .sendKeys(SpineScenarioTest.ADMIN_PASSWORD);
    browser.findElement(By.cssSelector("[data-testid='login-submit']")).click();
    waitFor(By.cssSelector("[data-testid='org-row'][data-org='2']"));
  }

  /** The page speaks {@code lang}, names every control, and the console shows no error. */
  private void checkPage(String lang, String shot) throws IOException {
    String visible = (String) js("""
        const parts = [document.body.innerText];
        document.querySelectorAll('[aria-label],[title],[alt]').forEach((el) => {
          for (const a of ['aria-label', 'title', 'alt']) {
            if (el.getAttribute(a)) parts.push(el.getAttribute(a));
          }
        });
        return parts.join('\\n');""");
    List<String> untranslated = BrowserTest.untranslatedKeys(visible);
    assertTrue(untranslated.isEmpty(), shot + ": untranslated keys " + untranslated);
    for (WebElement b : browser.findElements(By.cssSelector("[data-testid='archives'] button"))) {
      String name = b.getText().trim().isEmpty() ? b.getDomAttribute("aria-label") : b.getText();
      assertTrue(name != null && !name.isBlank(), "a button without a name: " + b);
    }
    for (WebElement b : browser.findElements(By.cssSelector("[data-testid='archive-restore']"))) {
      assertEquals(text(lang, "archives.restore"), b.getText().trim());
      assertTrue(b.getDomAttribute("aria-label").startsWith(
          text(lang, "archives.restoreLabel").replace("{time}", "")), "names the archive's time");
    }
    List<String> bad = new ArrayList<>();
    for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
      String m = entry.getMessage();
      if (m.contains("Uncaught") || m.contains("Content Security Policy")
          || m.contains("Refused to") || m.contains("TypeError") || m.contains("SyntaxError")) {
        bad.add(m);
      }
    }
    assertTrue(bad.isEmpty(), shot + ": the browser's console shows errors: " + bad);
    screenshot(shot);
  }

  private WebElement restoreButton(String archive) {
    return browser.findElement(By.cssSelector("[data-testid='archive-row'][data-archive='"
        + archive + "'] [data-testid='archive-restore']"));
  }

  /** Closes every notice with its own × button, as a person would to reach what it covers. */
  private void dismissNotices() {
    for (WebElement close : browser.findElements(By.cssSelector("#notices .notice-close"))) {
      try {
        close.click();
      } catch (StaleElementReferenceException gone) {
        // it left by itself meanwhile (a success notice lives 8 s)
      }
    }
    assertTrue(browser.findElements(By.cssSelector("#notices .notice")).isEmpty());
  }

  private void waitForNotice(String testid, String key) {
    String lang = (String) js("return document.documentElement.lang;");
    new WebDriverWait(browser, LIVE).pollingEvery(Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class) // a notice leaves after 8 s
        .withMessage(() -> "no " + testid + " saying " + key)
        .until(d -> d.findElements(By.cssSelector("[data-testid='" + testid + "']")).stream()
            .anyMatch(n -> n.getText().replace("×", "").trim().equals(text(lang, key))));
  }

  private void waitForState(String state) {
    new WebDriverWait(browser, LIVE).pollingEvery(Duration.ofMillis(100))
        .withMessage(() -> "the page did not show " + state)
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
            "[data-testid='state-card'] [data-testid='state'][data-state='" + state + "']")));
  }

  private WebElement waitFor(By what) {
    return new WebDriverWait(browser, LIVE).pollingEvery(Duration.ofMillis(100))
        .until(ExpectedConditions.presenceOfElementLocated(what));
  }

  private WebElement button(String testid) {
    return browser.findElement(By.cssSelector("[data-testid='" + testid + "']"));
  }

  private Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private void screenshot(String name) throws IOException {
    Files.write(BrowserTest.SCREENSHOTS.resolve(name + ".png"),
        browser.getScreenshotAs(OutputType.BYTES));
  }
}
