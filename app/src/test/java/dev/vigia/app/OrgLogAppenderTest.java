package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.vigia.common.logging.OrgLogLines;
import dev.vigia.common.logging.OrgMdc;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The org's log view keeps the same line the console writes (the console's bytes, encoded once),
 * and a line with an error keeps the error's class and message, never its stack trace.
 */
class OrgLogAppenderTest {

  @Test
  void anOrgsLinesAreTheConsolesLinesWithoutStackTraces() {
    // the process's context: OrgMdc puts the org in its MDC
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    OrgLogAppender.SharedEncoder shared = new OrgLogAppender.SharedEncoder();
    shared.setContext(context);
    shared.setWithSequenceNumber(false);
    shared.setWithArguments(false);
    shared.setWithFormattedMessage(true);
    shared.start();
    List<String> console = new ArrayList<>();
    AppenderBase<ILoggingEvent> out = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        console.add(new String(shared.encode(event), StandardCharsets.UTF_8).trim());
      }
    };
    out.setContext(context);
    out.start();
    JsonEncoder withoutTraces = new JsonEncoder();
    withoutTraces.setContext(context);
    withoutTraces.setWithSequenceNumber(false);
    withoutTraces.setWithArguments(false);
    withoutTraces.setWithFormattedMessage(true);
    withoutTraces.setWithThrowable(false);
    withoutTraces.start();
    OrgLogLines lines = new OrgLogLines();
    OrgLogAppender byOrg = new OrgLogAppender(withoutTraces, shared, lines);
    byOrg.setContext(context);
    byOrg.start();
    Logger log = context.getLogger(OrgLogAppenderTest.class);
    log.setAdditive(false);
    log.setLevel(Level.INFO);
    log.addAppender(out);
    log.addAppender(byOrg);

    OrgMdc.run("7", () -> log.info("CONNECTED -> RECONNECTING (428 connection lost)"));
    log.info("a line about no org");
    OrgMdc.run("7", () -> log.warn("save failed", new IllegalStateException("disk full")));
    OrgMdc.run("8", () -> log.info("STARTING -> CONNECTED"));

    List<String> seven = lines.recent("7", 10);
    assertEquals(2, seven.size());
    assertEquals(console.get(0), seven.get(0), "the console's line, as it wrote it");
    assertEquals("CONNECTED -> RECONNECTING (428 connection lost)",
        new JsonObject(seven.get(0)).getString("formattedMessage"));
    assertTrue(console.get(2).contains("stepArray"), "the console has the stack trace");
    assertFalse(seven.get(1).contains("stepArray"), "the org's view never does");
    assertEquals("java.lang.IllegalStateException: disk full",
        new JsonObject(seven.get(1)).getString("error"));
    assertEquals(List.of(console.get(3)), lines.recent("8", 10));
  }
}
