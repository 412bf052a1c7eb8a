package dev.vigia.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.vigia.common.logging.OrgLogLines;
import org.slf4j.LoggerFactory;

/**
 * Vigía's logging: JSON lines on stdout, the org of a line (when it concerns one) in
 * {@code "mdc": {"org": …}}, the level from {@code VIGIA_LOG_LEVEL}. Set in code rather than in a
 * {@code logback.xml}: parsing XML at start cost a few hundred milliseconds that {@code /health}
 * waited for. {@code -Dlogback.configurationFile=…} still wins (this then steps aside).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class JsonLogs extends ContextAwareBase implements Configurator {

  /** The recent lines about each org (logging is one per process, and so is this). */
  private static final OrgLogLines ORG_LINES = new OrgLogLines();

  /** The lines about each org this configuration keeps (none when another one is in use). */
  public static OrgLogLines orgLines() {
    return ORG_LINES;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("JSON");
    OrgLogAppender.SharedEncoder shared = new OrgLogAppender.SharedEncoder();
    configure(shared, context);
    console.setEncoder(shared);
    console.start();
    // the same lines, by org, in memory: `vigia logs <org>` and the page's log view; a line
    // without a stack trace is the console's bytes, encoded once for both (issue 12)
    JsonEncoder withoutTraces = encoder(context);
    withoutTraces.setWithThrowable(false);
    OrgLogAppender byOrg = new OrgLogAppender(withoutTraces, shared, ORG_LINES);
    byOrg.setContext(context);
    byOrg.setName("ORG_LINES");
    byOrg.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getenv("VIGIA_LOG_LEVEL"), Level.INFO));
    root.addAppender(console);
    root.addAppender(byOrg);
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("io.vertx").setLevel(Level.INFO);
    context.getLogger("com.hazelcast").setLevel(Level.WARN);
    // Flyway's seven lines per start; PgDatabase says what was migrated
    context.getLogger("org.flywaydb").setLevel(Level.WARN);
    // Vert.x registers its event-bus handler gauge once per handler kind: a harmless duplicate
    context.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * For the command-line tools (everything but {@code serve}): their standard output is their
   * answer ({@code status --json}, the token of {@code user token}), so the log lines, which a
   * PostgreSQL store writes as it opens, go to standard error instead.
   */
  public static void toStandardError() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
        && context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("JSON")
            instanceof ConsoleAppender<ILoggingEvent> console) {
      console.stop();
      console.setTarget("System.err");
      console.start();
    }
  }

  /** One JSON line per event: the formatted message, the MDC, no arguments (they may hold more). */
  private static JsonEncoder encoder(LoggerContext context) {
    return configure(new JsonEncoder(), context);
  }

  private static JsonEncoder configure(JsonEncoder encoder, LoggerContext context) {
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.setWithMessage(false);
    encoder.start();
    return encoder;
  }
}
