package dev.vigia.dashboard.webroot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigia.common.Cause;
import dev.vigia.common.SessionState;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The browser page without a browser: what the CSP would refuse (inline script, handlers, styles),
 * texts missing in one language, imports that do not resolve, and the hooks the browser test uses.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebrootTest {

  static final String ROOT = "/webroot/";
  static final Pattern SCRIPT = Pattern.compile("<script\\b([^>]*)>(.*?)</script\\s*>",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  static final Pattern HANDLER_ATTR = Pattern.compile("<[^>]*\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
  static final Pattern STYLE_ATTR = Pattern.compile("<[^>]*\\sstyle\\s*=", Pattern.CASE_INSENSITIVE);
  static final Pattern DATA_I18N = Pattern.compile("data-i18n(?:-[a-z]+)?=\"([^\"]+)\"");
  static final Pattern QUOTED = Pattern.compile("'([A-Za-z]+\\.[A-Za-z0-9_.]+)'");
  static final Pattern IMPORT = Pattern.compile(
      "import\\s*\\{([^}]*)\\}\\s*from\\s*'(\\.{1,2}/[^']+)'");

  static Map<String, Map<String, String>> dictionaries;
  static Map<String, String> html;
  static Map<String, String> scripts;

  @BeforeAll
  static void read() throws Exception {
    Path root = Paths.get(resource("index.html").toURI()).getParent();
    html = new TreeMap<>();
    scripts = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
        String name = root.relativize(p).toString().replace('\\', '/');
        if (name.endsWith(".html")) {
          html.put(name, text(name));
        } else if (name.endsWith(".js")) {
          scripts.put(name, text(name));
        }
      }
    }
    try (InputStream in = resource("i18n.json").openStream()) {
      dictionaries = new ObjectMapper().readValue(in, new TypeReference<>() {});
    }
    assertFalse(scripts.isEmpty(), "the page's modules are on the classpath");
  }

  @Test
  void htmlHasNoInlineScriptNoHandlersNoStyleAttributes() {
    for (Map.Entry<String, String> page : html.entrySet()) {
      String source = page.getValue();
      Matcher script = SCRIPT.matcher(source);
      int count = 0;
      while (script.find()) {
        count++;
        assertTrue(script.group(1).contains("src="), page.getKey() + ": a script loads a file");
        assertEquals("", script.group(2).trim(), page.getKey() + ": no inline script body");
      }
      assertTrue(count > 0 || !page.getKey().equals("index.html"), "index.html loads app.js");
      assertFalse(HANDLER_ATTR.matcher(source).find(), page.getKey() + ": no on…= handler attribute");
      assertFalse(STYLE_ATTR.matcher(source).find(), page.getKey() + ": no style= attribute");
      assertFalse(source.toLowerCase().contains("<style"), page.getKey() + ": no <style> element");
      assertFalse(source.toLowerCase().contains("javascript:"), page.getKey() + ": no javascript: URL");
      assertFalse(source.contains("//cdn") || source.contains("https://"), page.getKey() + ": nothing from elsewhere");
    }
  }

  @Test
  void scriptsNeverParseServerTextAsHtmlNorStyleInline() {
    for (Map.Entry<String, String> js : scripts.entrySet()) {
      // the SVG namespace is a name, not an address the page loads
      String source = js.getValue().replace("'http://www.w3.org/2000/svg'", "SVG_NS");
      for (String banned : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
          "eval(", "new Function", "setAttribute('style'", "localStorage.setItem('vigia.session",
          "https://", "http://")) {
        assertFalse(source.contains(banned), js.getKey() + " uses " + banned);
      }
    }
  }

  @Test
  void spanishAndEnglishHaveTheSameKeysAndNoEmptyText() {
    assertEquals(Set.of("es", "en"), dictionaries.keySet());
    Set<String> onlyEs = new TreeSet<>(dictionaries.get("es").keySet());
    onlyEs.removeAll(dictionaries.get("en").keySet());
    Set<String> onlyEn = new TreeSet<>(dictionaries.get("en").keySet());
    onlyEn.removeAll(dictionaries.get("es").keySet());
    assertTrue(onlyEs.isEmpty(), "missing in English: " + onlyEs);
    assertTrue(onlyEn.isEmpty(), "missing in Spanish: " + onlyEn);
    for (String lang : dictionaries.keySet()) {
      dictionaries.get(lang).forEach((k, v) -> assertFalse(v == null || v.isBlank(), lang + "." + k + " is empty"));
    }
  }

  @Test
  void theOldPagesButtonTextsAreKept() {
    assertEquals("🧹 Limpiar Sesión Corrupta", dictionaries.get("es").get("org.clear"));
    assertEquals("Conectar WhatsApp", dictionaries.get("es").get("org.connect"));
    assertEquals("Sesión limpiada correctamente", dictionaries.get("es").get("clear.done"));
    assertEquals("No se pudo limpiar la sesión", dictionaries.get("es").get("clear.failed"));
  }

  @Test
  void everyKeyThePageUsesExists() {
    Set<String> namespaces = dictionaries.get("en").keySet().stream()
        .map(k -> k.substring(0, k.indexOf('.'))).collect(Collectors.toCollection(TreeSet::new));
    List<String> missing = new ArrayList<>();
    Set<String> used = new TreeSet<>();
    for (Map.Entry<String, String> page : html.entrySet()) {
      Matcher m = DATA_I18N.matcher(page.getValue());
      while (m.find()) {
        used.add(m.group(1));
        check(page.getKey(), m.group(1), missing);
      }
    }
    for (Map.Entry<String, String> js : scripts.entrySet()) {
      Matcher m = QUOTED.matcher(js.getValue());
      while (m.find()) {
        String key = m.group(1);
        if (namespaces.contains(key.substring(0, key.indexOf('.'))) && !key.endsWith(".")) {
          used.add(key);
          check(js.getKey(), key, missing);
        }
      }
    }
    assertTrue(missing.isEmpty(), "keys used but not in i18n.json: " + missing);
    assertTrue(used.size() > 100, "the scan finds the page's keys (" + used.size() + ")");
  }

  @Test
  void everyStateAndEveryCauseHasASentenceInBothLanguages() throws IllegalAccessException {
    List<String> keys = new ArrayList<>();
    for (SessionState state : SessionState.values()) {
      keys.add("state." + state.name());
      keys.add("state." + state.name() + ".hint");
    }
    for (Field f : Cause.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        keys.add("cause." + f.get(null));
      }
    }
    keys.addAll(List.of("cause.unknown", "health.ok", "health.degraded", "health.down",
        "kind.state", "kind.decision", "kind.alert", "kind.repair", "kind.other",
        "role.admin", "role.operator"));
    List<String> missing = new ArrayList<>();
    for (String key : keys) {
      check("dynamic", key, missing);
    }
    assertTrue(missing.isEmpty(), "missing: " + missing);
  }

  /** The monitor's checks (HealthBook) by name, each with its name and sentences in both languages. */
  @Test
  void everyHealthCheckHasANameAndItsSentencesInBothLanguages() {
    List<String> keys = new ArrayList<>();
    for (String check : List.of("connection", "keep_alive", "decrypt", "credentials")) {
      keys.add("health.check." + check);
    }
    keys.addAll(List.of("health.check.connection.never", "health.check.connection.state",
        "health.check.keep_alive.none", "health.check.keep_alive.ago",
        "health.check.keep_alive.stale", "health.check.decrypt.count",
        "health.check.decrypt.advice", "health.check.credentials.stored",
        "health.check.credentials.none"));
    List<String> missing = new ArrayList<>();
    for (String key : keys) {
      check("health", key, missing);
      // every key the page's health module names is one of these
      assertTrue(key.split("\\.").length == 3 || scripts.get("js/health.js").contains("'" + key + "'"),
          "js/health.js uses " + key);
    }
    assertTrue(missing.isEmpty(), "missing: " + missing);
    for (String lang : List.of("es", "en")) {
      Map<String, String> dict = dictionaries.get(lang);
      assertTrue(dict.get("health.check.keep_alive.stale").contains("{seconds}")
          && dict.get("health.check.keep_alive.stale").contains("{limit}"), lang + ": the numbers");
      assertTrue(dict.get("health.check.decrypt.count").contains("{count}"), lang + ": the count");
      assertTrue(dict.get("health.check.connection.state").contains("{state}"), lang + ": the state");
    }
    assertEquals("Conexión", dictionaries.get("es").get("health.check.connection"));
  }

  @Test
  void everyImportResolvesToAFileThatExportsTheName() {
    for (Map.Entry<String, String> js : scripts.entrySet()) {
      Matcher m = IMPORT.matcher(js.getValue());
      while (m.find()) {
        String target = Paths.get(js.getKey()).resolveSibling(m.group(2)).normalize().toString()
            .replace('\\', '/');
        String module = scripts.get(target);
        assertNotNull(module, js.getKey() + " imports a missing " + target);
        for (String name : m.group(1).split(",")) {
          String n = name.trim();
          if (n.isEmpty()) {
            continue;
          }
          Pattern export = Pattern.compile("export\\s+(?:async\\s+)?(?:function|const|let|class)\\s+"
              + Pattern.quote(n) + "\\b");
          assertTrue(export.matcher(module).find(), js.getKey() + " imports " + n + " that " + target
              + " does not export");
        }
      }
    }
  }

  @Test
  void theBrowserTestFindsItsHooks() {
    String all = String.join("\n", html.values()) + String.join("\n", scripts.values());
    for (String hook : List.of("login-username", "login-password", "login-submit", "org-row",
        "state", "connect", "qr", "clear", "confirm-ok", "notice-success", "lang-switch",
        "takeover", "pairing-phone", "pairing-code", "timeline", "health-card", "api-key-value",
        "api-key-row", "api-key-revoke", "user-row", "user-edit", "user-delete")) {
      assertTrue(all.contains("data-testid=\"" + hook + "\"") || all.contains("testid: '" + hook + "'")
          || all.contains("success: '" + hook + "'"), "hook " + hook);
    }
    assertTrue(html.get("index.html").contains("href=\"/styles.css\""));
    assertNotNull(resource("styles.css"));
    assertNotNull(resource("app.js"));
  }

  static void check(String where, String key, List<String> missing) {
    for (String lang : List.of("es", "en")) {
      if (!dictionaries.get(lang).containsKey(key)) {
        missing.add(where + ": " + lang + "." + key);
      }
    }
  }

  static URL resource(String name) {
    URL url = WebrootTest.class.getResource(ROOT + name);
    assertNotNull(url, ROOT + name + " on the classpath");
    return url;
  }

  static String text(String name) throws IOException, URISyntaxException {
    try (InputStream in = resource(name).openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
