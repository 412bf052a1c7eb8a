package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigia.common.config.VigiaConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 4, "Done when" 1 and 3: a real headless Chromium (Debian's, through chromedriver; nothing
 * is downloaded) logs in, links org 2 with the QR, sees {@code CONNECTED} without a reload, clears
 * the session through its confirmation and sees {@code STOPPED}; every page in Spanish and in
 * English, without an untranslated key, with labelled controls. Screenshots go to
 * {@code target/screenshots/}. No Chromium is a failure, never a skip: CI must run this.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrowserTest {

  private static final Logger LOG = LoggerFactory.getLogger(BrowserTest.class);

  static final String CHROMIUM = System.getProperty("vigia.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER =
      System.getProperty("vigia.chromedriver", "/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  /** What a person waits at most for the page to show a change by itself. */
  static final Duration LIVE = Duration.ofSeconds(15);
  /** Looks like an i18n key left untranslated ("org.connect", "state.QR_REQUIRED.hint"). */
  static final Pattern KEY_LIKE = Pattern.compile("\\b([a-z]+)\\.[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*\\b");

  static Map<String, Map<String, String>> texts;

  @TempDir Path data;
  @TempDir Path profile;
  Vigia vigia;
  ChromeDriver browser;
  String base;

  @BeforeAll
  static void readTexts() throws IOException {
    try (InputStream in = BrowserTest.class.getResourceAsStream("/webroot/i18n.json")) {
      assertTrue(in != null, "the page's texts are on the classpath");
      texts = new ObjectMapper().readValue(in, new TypeReference<>() {});
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
  void spanishPersonLinksOrg2SeesItConnectedAndClearsIt(Vertx vertx) throws Exception {
    ApiClient admin = startVigiaWithOrg2(vertx);
    openBrowser("es-ES");
    login("es");
    linkConnectAndClear(admin, "es");
  }

  @Test
  void englishPersonSwitchesLanguageThenLinksAndClearsOrg2(Vertx vertx) throws Exception {
    ApiClient admin = startVigiaWithOrg2(vertx);
    openBrowser("es-ES");
    login("es");
    switchLanguage("en");
    linkConnectAndClear(admin, "en");
  }

  @Test
  void everyPageWorksInSpanishAndEnglish(Vertx vertx) throws Exception {
    startVigiaWithOrg2(vertx);
    openBrowser("es-ES");
    login("es");
    visitEveryPage("es");
    switchLanguage("en");
    visitEveryPage("en");
    // the choice is remembered: a reload stays in English
    browser.navigate().refresh();
    waitFor(By.cssSelector("[data-testid='org-row'][data-org='2']"));
    assertEquals("en", htmlLang());
    // the old page's address opens the same page
    browser.get(base + "/dashboard/whatsapp-baileys/");
    waitFor(By.cssSelector("[data-testid='state-card'] [data-testid='state']"));
    assertEquals(text("en", "org.title").replace("{org}", "2"), h1());
    screenshot("en-old-address");
  }

  // ---- the scenario ----

  private void linkConnectAndClear(ApiClient admin, String lang)
      throws IOException, InterruptedException {
    String p = lang + "-";
    WebElement row = waitFor(By.cssSelector("[data-testid='org-row'][data-org='2']"));
    assertEquals("STOPPED", row.getDomAttribute("data-state"));
    screenshot(p + "01-overview");

    row.findElement(By.cssSelector("[data-testid='org-link']")).click();
    waitForState("STOPPED");
    WebElement connect = waitFor(By.cssSelector("[data-testid='actions'] [data-testid='connect']"));
    assertEquals(text(lang, "org.connect"), connect.getText());
    assertEquals(text(lang, "org.clear"), button("clear").getText());
    if (lang.equals("es")) {
      assertEquals("Conectar WhatsApp", connect.getText());
      assertTrue(button("clear").getText().contains("Limpiar Sesión Corrupta"));
    } else {
      assertEquals("Connect WhatsApp", connect.getText());
      assertTrue(button("clear").getText().contains("Clear corrupt session"));
    }
    screenshot(p + "02-org-stopped");

    connect.click();
    waitForState("QR_REQUIRED");
    waitForQrPicture();
    WebElement qr = browser.findElement(By.cssSelector("img[data-testid='qr']"));
    assertTrue(qr.isDisplayed(), "the QR is visible");
    assertTrue(qr.getDomAttribute("src").startsWith("/api/sessions/2/qr.svg"));
    screenshot(p + "03-qr");
    if (lang.equals("es")) {
      // a person takes a few seconds to scan: the picture stays put while the page refreshes
      js("""
          window.vigiaQrGone = 0;
          new MutationObserver(() => {
            const img = document.querySelector("img[data-testid='qr']");
            if (!img || !img.isConnected) window.vigiaQrGone++;
          }).observe(document.body, { childList: true, subtree: true });""");
      Thread.sleep(3500); // one poll of the page (every 3 s); the test thread, not an event loop
      assertEquals(0L, js("return window.vigiaQrGone;"), "the QR blinked away during a refresh");
    }

    // the phone scans; the page must follow by itself, no reload
    js("window.vigiaNoReload = 'same page';");
    assertEquals(202, admin.post("/api/sim/sessions/2/scan", new JsonObject()).statusCode());
    waitForState("CONNECTED");
    assertEquals("same page", js("return window.vigiaNoReload;"), "CONNECTED came without reload");
    assertTrue(browser.findElements(By.cssSelector("img[data-testid='qr']")).isEmpty(),
        "the QR is gone once linked");
    assertEquals(text(lang, "state.CONNECTED"), stateBadge().getText().trim());
    screenshot(p + "04-connected");

    // the phone unlinks the device: not connected any more, so the clear button is offered
    assertEquals(202, admin.post("/api/sim/sessions/2/fault",
        new JsonObject().put("kind", "logged_out")).statusCode());
    waitForState("LOGGED_OUT");
    assertEquals("same page", js("return window.vigiaNoReload;"));
    screenshot(p + "05-logged-out");

    waitFor(By.cssSelector("[data-testid='actions'] [data-testid='clear']")).click();
    WebElement dialog = waitFor(By.cssSelector("dialog[data-testid='confirm-dialog'][open]"));
    assertTrue(dialog.isDisplayed());
    assertEquals(text(lang, "clear.confirm"), button("confirm-ok").getText());
    screenshot(p + "06-confirm");
    button("confirm-ok").click();

    WebElement notice = waitFor(By.cssSelector("[data-testid='notice-success']"));
    assertEquals(text(lang, "clear.done"), notice.getText().replace("×", "").trim());
    assertTrue(notice.getText().contains(lang.equals("es") ? "Sesión limpiada correctamente"
        : "Session cleared"), notice.getText());
    waitForState("STOPPED");
    assertEquals("same page", js("return window.vigiaNoReload;"));
    screenshot(p + "07-cleared-stopped");
    assertNoScriptErrors(lang + " scenario");

    // the same page on a phone screen
    browser.manage().window().setSize(new Dimension(390, 844));
    screenshot(p + "08-phone");
  }

  private void visitEveryPage(String lang) throws IOException {
    waitFor(By.cssSelector("[data-testid='org-row'][data-org='2']"));
    checkPage(lang, "overview", "overview.title");

    browser.get(base + "/#/org/2");
    waitFor(By.cssSelector("[data-testid='state-card'] [data-testid='state']"));
    waitFor(By.cssSelector("[data-testid='timeline-heading'], #timeline-heading"));
    checkPage(lang, "org", "org.title");

    browser.get(base + "/#/admin/orgs");
    waitFor(By.cssSelector("[data-testid='admin-org-row'][data-org='2']"));
    checkPage(lang, "admin-orgs", "orgs.title");

    browser.get(base + "/#/admin/users");
    waitFor(By.cssSelector("[data-testid='user-row']"));
    checkPage(lang, "admin-users", "users.title");

    browser.get(base + "/#/admin/keys");
    waitFor(By.cssSelector("[data-testid='key-org'] option[value='2']"));
    checkPage(lang, "admin-keys", "keys.title");

    browser.get(base + "/#/");
  }

  /** The page speaks {@code lang} all through, and every control can be named by a screen reader. */
  private void checkPage(String lang, String name, String titleKey) throws IOException {
    assertEquals(lang, htmlLang(), name + ": <html lang>");
    assertEquals(text(lang, titleKey).replace("{org}", "2"), h1(), name + ": heading");
    String visible = (String) js("""
        const parts = [document.body.innerText];
        document.querySelectorAll('[aria-label],[title],[alt],[placeholder]').forEach((el) => {
          for (const a of ['aria-label', 'title', 'alt', 'placeholder']) {
            if (el.getAttribute(a)) parts.push(el.getAttribute(a));
          }
        });
        parts.push(document.title);
        return parts.join('\\n');""");
    List<String> untranslated = untranslatedKeys(visible);
    assertTrue(untranslated.isEmpty(), name + " (" + lang + ") shows untranslated keys: "
        + untranslated);
    @SuppressWarnings("unchecked")
    List<String> unlabelled = (List<String>) js("""
        const bad = [];
        document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach((el) => {
          const named = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label')
              || el.getAttribute('aria-labelledby');
          if (!named) bad.push('input ' + (el.id || el.name || el.outerHTML.slice(0, 80)));
        });
        document.querySelectorAll('button, [role=button]').forEach((el) => {
          const name = (el.textContent || '').trim() || el.getAttribute('aria-label')
              || el.getAttribute('aria-labelledby') || el.getAttribute('title');
          if (!name) bad.push('button ' + el.outerHTML.slice(0, 80));
        });
        document.querySelectorAll('img').forEach((el) => {
          if (!el.hasAttribute('alt')) bad.push('img ' + el.outerHTML.slice(0, 80));
        });
        return bad;""");
    assertTrue(unlabelled.isEmpty(), name + " (" + lang + ") has controls without a name: "
        + unlabelled);
    assertNoScriptErrors(lang + " " + name);
    screenshot(lang + "-page-" + name);
  }

  /** Words of the page that are keys of the dictionaries, or look like one of their namespaces. */
  static List<String> untranslatedKeys(String visible) {
    TreeSet<String> namespaces = new TreeSet<>();
    texts.values().forEach(dict -> dict.keySet().forEach(k -> namespaces.add(k.split("\\.")[0])));
    List<String> found = new ArrayList<>();
    Matcher m = KEY_LIKE.matcher(visible);
    while (m.find()) {
      if (namespaces.contains(m.group(1))) {
        found.add(m.group());
      }
    }
    return found;
  }

  // ---- set-up ----

  private ApiClient startVigiaWithOrg2(Vertx vertx) {
    VigiaConfig config = VigiaConfig.fromMap(Map.of(
        "VIGIA_HTTP_PORT", "0",
        "VIGIA_DATA_DIR", data.toString(),
        "VIGIA_ENGINE", "simulated",
        "VIGIA_ADMIN_PASSWORD", SpineScenarioTest.ADMIN_PASSWORD,
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
    assertTrue(Files.isExecutable(Path.of(CHROMIUM)), "no Chromium at " + CHROMIUM
        + ": install Debian's chromium (.ci/run does); this test must run, never skip");
    assertTrue(Files.isExecutable(Path.of(CHROMEDRIVER)), "no chromedriver at " + CHROMEDRIVER
        + ": install Debian's chromium-driver (.ci/run does)");
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--window-size=1280,900",
        "--user-data-dir=" + profile.toAbsolutePath(), "--lang=" + language);
    // the console tells of script errors and of anything the CSP refused
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language + ","
        + language.substring(0, 2)));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    Files.createDirectories(SCREENSHOTS);
  }

  private void login(String lang) throws IOException {
    browser.get(base + "/");
    WebElement user = waitFor(By.cssSelector("[data-testid='login-username']"));
    assertEquals(lang, htmlLang(), "the browser's language picks the page's");
    assertEquals(text(lang, "login.title"), h1());
    screenshot(lang + "-00-login");
    user.sendKeys("admin");
    browser.findElement(By.cssSelector("[data-testid='login-password']"))
        .sendKeys(SpineScenarioTest.ADMIN_PASSWORD);
    browser.findElement(By.cssSelector("[data-testid='login-submit']")).click();
    waitFor(By.cssSelector("[data-testid='org-row'][data-org='2']"));
  }

  private void switchLanguage(String lang) {
    WebElement toggle = waitFor(By.cssSelector("[data-testid='lang-switch']"));
    toggle.click();
    new WebDriverWait(browser, LIVE).until(d -> lang.equals(htmlLang()));
    new WebDriverWait(browser, LIVE).until(d -> text(lang, "overview.title").equals(h1()));
  }

  /**
   * No script error and nothing the CSP refused since the last look. A 404 of a route that is not
   * built yet (the stream, health, stats) is expected: the page falls back without it.
   */
  private void assertNoScriptErrors(String where) {
    List<String> bad = new ArrayList<>();
    for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
      String message = entry.getMessage();
      if (message.contains("Uncaught") || message.contains("Content Security Policy")
          || message.contains("Refused to") || message.contains("SyntaxError")
          || message.contains("TypeError")) {
        bad.add(message);
      }
    }
    assertTrue(bad.isEmpty(), where + ": the browser's console shows errors: " + bad);
  }

  // ---- small helpers ----

  private WebElement waitFor(By what) {
    return new WebDriverWait(browser, LIVE).pollingEvery(Duration.ofMillis(100))
        .until(ExpectedConditions.presenceOfElementLocated(what));
  }

  /** The QR image is in the page and its SVG has loaded (a broken image has no natural width). */
  private void waitForQrPicture() {
    new WebDriverWait(browser, LIVE).pollingEvery(Duration.ofMillis(100))
        .withMessage(() -> "the QR picture did not load within " + LIVE.toSeconds() + " s")
        .until(d -> (Boolean) js("""
            const i = document.querySelector("img[data-testid='qr']");
            return i !== null && i.complete && i.naturalWidth > 0;"""));
  }

  private void waitForState(String state) {
    new WebDriverWait(browser, LIVE).pollingEvery(Duration.ofMillis(100))
        .withMessage(() -> "the page did not show " + state + " within " + LIVE.toSeconds() + " s")
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
            "[data-testid='state-card'] [data-testid='state'][data-state='" + state + "']")));
  }

  private WebElement stateBadge() {
    return browser.findElement(By.cssSelector("[data-testid='state-card'] [data-testid='state']"));
  }

  private WebElement button(String testid) {
    return browser.findElement(By.cssSelector("[data-testid='" + testid + "']"));
  }

  private String htmlLang() {
    return (String) js("return document.documentElement.lang;");
  }

  private String h1() {
    return browser.findElement(By.cssSelector("main h1")).getText().trim();
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  static String text(String lang, String key) {
    String value = texts.get(lang).get(key);
    assertTrue(value != null, "no " + lang + " text for " + key);
    return value;
  }

  private void screenshot(String name) throws IOException {
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    LOG.info("screenshot {}", file);
  }
}
