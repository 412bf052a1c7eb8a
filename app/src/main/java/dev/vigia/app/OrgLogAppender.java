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

  private final JsonEncoder encoder;
  private final OrgLogLines lines;

  OrgLogAppender(JsonEncoder encoder, OrgLogLines lines) {
    this.encoder = encoder;
    this.lines = lines;
  }

  @Override
  protected void append(ILoggingEvent event) {
    String org = event.getMDCPropertyMap().get(OrgMdc.KEY);
    if (org == null) {
      return;
    }
    // doAppend is synchronized: the encoder is used by one thread at a time
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8).trim();
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      // these lines reach HTTP answers: the error's class and message, never its stack trace
      line = new JsonObject(line).put("error", error.getClassName()
          + (error.getMessage() == null ? "" : ": " + error.getMessage())).encode();
    }
    lines.append(org, line);
  }
}
