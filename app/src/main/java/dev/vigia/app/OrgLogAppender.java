package dev.vigia.app;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import dev.vigia.common.logging.OrgLogLines;
import dev.vigia.common.logging.OrgMdc;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Keeps each log line about one org ({@code mdc.org}) in memory, as the same JSON line stdout
 * gets (without stack traces), for {@code vigia logs <org>} and the page's log view. Lines
 * without an org are not kept.
 */
final class OrgLogAppender extends AppenderBase<ILoggingEvent> {

  /**
   * The console's encoder, which keeps what it encoded last on each thread: logback calls the
   * console appender, then this one, for the same event on the same thread, so a line without a
   * stack trace (where both encodings are equal) is encoded once, not twice, per log call.
   */
  static final class SharedEncoder extends JsonEncoder {
    private final ThreadLocal<Object[]> last = new ThreadLocal<>();

    @Override
    public byte[] encode(ILoggingEvent event) {
      byte[] bytes = super.encode(event);
      if (event.getThrowableProxy() == null) {
        last.set(new Object[] {event, bytes});
      }
      return bytes;
    }

    /** What {@link #encode} made of {@code event} on this thread, or null. */
    byte[] encodedLast(ILoggingEvent event) {
      Object[] pair = last.get();
      if (pair == null || pair[0] != event) {
        return null;
      }
      last.remove(); // the event is not kept alive past its line
      return (byte[]) pair[1];
    }
  }

  private final JsonEncoder encoder;
  private final SharedEncoder console;
  private final OrgLogLines lines;

  /** @param console whose bytes a line without a stack trace reuses; null: always encoded here */
  OrgLogAppender(JsonEncoder encoder, SharedEncoder console, OrgLogLines lines) {
    this.encoder = encoder;
    this.console = console;
    this.lines = lines;
  }

  @Override
  protected void append(ILoggingEvent event) {
    // taken for every line, so the console's last bytes never outlive their event
    byte[] bytes = console == null ? null : console.encodedLast(event);
    String org = event.getMDCPropertyMap().get(OrgMdc.KEY);
    if (org == null) {
      return;
    }
    // doAppend is synchronized: the encoder is used by one thread at a time
    String line = new String(bytes != null ? bytes : encoder.encode(event),
        StandardCharsets.UTF_8).trim();
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      // these lines reach HTTP answers: the error's class and message, never its stack trace
      line = new JsonObject(line).put("error", error.getClassName()
          + (error.getMessage() == null ? "" : ": " + error.getMessage())).encode();
    }
    lines.append(org, line);
  }
}
