package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 3: "Logs are JSON lines with the org on every line that concerns one", through the
 * running app: every line of a connect, scan and clear of org 2 that is about org 2 carries
 * {@code "mdc": {"org": "2"}}, and the QR payload (a secret) is in no line.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OrgLogScenarioTest {

  /** A line names the org ("org 2", "organization 2") or is a session transition. */
  static final Pattern ABOUT_ORG_2 = Pattern.compile("\\b(org|organization) 2\\b");
  static final Pattern TRANSITION = Pattern.compile("\\b[A-Z_]{5,} -> [A-Z_]{5,}\\b");

  /** Captures events with their MDC taken on the logging thread, not when the test reads them. */
  static final class Capture extends ListAppender<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent e) {
      e.prepareForDeferredProcessing();
      super.append(e);
    }
  }

  @TempDir Path data;
  Vigia vigia;
  final Capture capture = new Capture();
  Logger root;

  @BeforeEach
  void attach() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    capture.setContext(ctx);
    capture.start();
    root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(capture);
  }

  @AfterEach
  void detach() {
    if (vigia != null) {
      vigia.stopAndWait();
    }
    root.detachAppender(capture);
    capture.stop();
  }

  /** Each event as the JSON line the app's logback.xml writes. */
  static List<JsonObject> jsonLines(List<ILoggingEvent> events, LoggerContext ctx) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(ctx);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    List<JsonObject> lines = new ArrayList<>();
    for (ILoggingEvent e : events) {
      String line = new String(encoder.encode(e), StandardCharsets.UTF_8).trim();
      assertFalse(line.contains("\n"), "one event, one line: " + line);
      lines.add(new JsonObject(line));
    }
    return lines;
  }

  @Test
  void everyLineAboutOrg2CarriesItAndNoLineCarriesTheQr(Vertx vertx) throws Exception {
    vigia = ApiClient.await(Vigia.start(SpineScenarioTest.config(data, store()), Clock.systemUTC()));
    ApiClient admin = new ApiClient(vertx, vigia.httpPort());
    assertEquals(200, admin.login("admin", SpineScenarioTest.ADMIN_PASSWORD).statusCode());
    assertEquals(201, admin.post("/api/orgs",
        new JsonObject().put("id", "2").put("name", "CompuEasys")).statusCode());

    assertEquals(202, admin.post("/api/sessions/2/connect", new JsonObject()).statusCode());
    String qr = admin.await("/api/sessions/2",
            s -> "QR_REQUIRED".equals(s.getString("state")) && s.getJsonObject("qr") != null, 10)
        .getJsonObject("qr").getString("payload");
    assertTrue(qr.length() > 20, "a real payload to look for: " + qr);
    assertTrue(admin.post("/api/sim/sessions/2/scan", new JsonObject()).statusCode() < 300);
    admin.await("/api/sessions/2", s -> "CONNECTED".equals(s.getString("state")), 10);
    assertEquals(200, admin.post("/api/sessions/2/clear", new JsonObject()).statusCode());
    admin.await("/api/sessions/2", s -> "STOPPED".equals(s.getString("state")), 10);

    List<ILoggingEvent> events = List.copyOf(capture.list);
    List<JsonObject> lines = jsonLines(events, (LoggerContext) LoggerFactory.getILoggerFactory());
    int aboutOrg2 = 0;
    int transitions = 0;
    int archived = 0;
    for (JsonObject line : lines) {
      String text = line.encode();
      assertFalse(text.contains(qr), "the QR payload is a secret: " + text);
      String message = line.getString("formattedMessage", "");
      boolean transition = TRANSITION.matcher(message).find();
      if (ABOUT_ORG_2.matcher(message).find() || transition) {
        aboutOrg2++;
        transitions += transition ? 1 : 0;
        archived += message.contains("archived") ? 1 : 0;
        JsonObject mdc = line.getJsonObject("mdc");
        assertEquals("2", mdc == null ? null : mdc.getString("org"),
            "a line about org 2 without the org in the MDC: " + text);
      }
    }
    // the connect, the 515 after the scan, the link and the clear are each logged
    assertTrue(transitions >= 4, "session transitions logged: " + transitions);
    assertTrue(archived >= 1, "the clear's archive is logged");
    assertTrue(aboutOrg2 > transitions, "the monitor's decisions name the org too");
  }

  /** The store this scenario runs with: the files; {@link PgOrgLogScenarioTest}, PostgreSQL. */
  TestStore store() {
    return TestStore.files(data);
  }
}
