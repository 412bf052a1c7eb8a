package dev.vigia.monitor.alert;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;

/** What the alert tests share: fast retries, a loopback SMTP server, a port nobody listens on. */
final class AlertFixtures {

  /**
   * 4 attempts, 20 ms, 40 ms, 80 ms apart: the real bound, at test speed. The attempt timeout
   * stays generous: a cold SMTP exchange on a busy machine can take seconds, and a timed-out
   * attempt that still arrives would be sent twice.
   */
  static final DeliverySettings FAST =
      new DeliverySettings(4, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(15));

  /** Webhook timeout for tests that expect delivery: a loaded machine must not cause a resend. */
  static final Duration HOOK_TIMEOUT = Duration.ofSeconds(15);

  static final Instant T0 = Instant.parse("2026-11-28T08:00:00Z");

  private AlertFixtures() {}

  /** A real SMTP server on 127.0.0.1, on a free port. */
  static GreenMail startSmtp() {
    GreenMail mail = new GreenMail(
        new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    mail.start();
    return mail;
  }

  /** A loopback port that was free a moment ago and has nobody listening. */
  static int closedPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
