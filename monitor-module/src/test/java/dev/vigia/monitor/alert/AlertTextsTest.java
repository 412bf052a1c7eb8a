package dev.vigia.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigia.common.Cause;
import dev.vigia.monitor.policy.AlertKind;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertTextsTest {

  private static final Instant AT = Instant.parse("2026-11-28T08:00:00Z");

  private static final Map<String, Cause> CAUSE_OF = Map.of(
      AlertMessage.CONFLICT, Cause.conflict(),
      AlertMessage.LOGGED_OUT, Cause.loggedOut(),
      AlertMessage.BANNED, Cause.banned(403),
      AlertMessage.OUTDATED, Cause.outdated(405),
      AlertMessage.BREAKER_OPEN, Cause.connectionLost(),
      AlertMessage.BAD_SESSION, Cause.badSession(),
      AlertMessage.DECRYPT_DEGRADED, new Cause(null, Cause.BAD_MAC, "Bad MAC"),
      AlertMessage.ARCHIVE_FAILED, new Cause(401, Cause.ARCHIVE_FAILED, "archiving failed"));

  @Test
  void everyKindReadsInSpanishAndEnglishWithOrgCauseAndAction() {
    for (String kind : AlertMessage.KINDS) {
      Cause cause = CAUSE_OF.get(kind);
      AlertMessage alert = AlertMessage.of("org-7", kind, cause, "detail sentence", AT);
      AlertTexts.Text es = AlertTexts.render(alert, "es");
      AlertTexts.Text en = AlertTexts.render(alert, "en");

      assertTrue(es.subject().contains("Organización org-7"), kind + ": " + es.subject());
      assertTrue(en.subject().contains("Organization org-7"), kind + ": " + en.subject());
      assertTrue(es.body().contains("Qué hacer: "), kind);
      assertTrue(en.body().contains("What to do: "), kind);
      assertTrue(es.body().contains("detail sentence") && en.body().contains("detail sentence"));
      assertNotEquals(es.body(), en.body(), kind);
      assertFalse(es.body().contains("problema en la sesión"), kind + " has its own Spanish text");
      assertFalse(en.body().contains("session problem"), kind + " has its own English text");
      if (cause != null) {
        String code = cause.code() == null ? "" : String.valueOf(cause.code());
        assertTrue(es.body().contains("Causa: " + (code.isEmpty() ? "sin código" : code) + " "
            + cause.reason()), kind + ": " + es.body());
        assertTrue(en.body().contains("Cause: " + (code.isEmpty() ? "no code" : code) + " "
            + cause.reason()), kind + ": " + en.body());
        if (!code.isEmpty()) {
          assertTrue(es.subject().endsWith("(" + code + ")"), es.subject());
        }
      }
    }
  }

  @Test
  void conflictTellsAPersonToTakeOverOrClear() {
    AlertMessage alert = AlertMessage.of("2", AlertMessage.CONFLICT, Cause.conflict(), null, AT);

    AlertTexts.Text es = AlertTexts.render(alert, "es");
    AlertTexts.Text en = AlertTexts.render(alert, "en");

    assertEquals("[Vigía] Organización 2: conflicto de sesión (440)", es.subject());
    assertEquals("[Vigía] Organization 2: session conflict (440)", en.subject());
    assertTrue(es.body().contains("Otro WhatsApp Web o WhatsApp Desktop está usando este número"));
    assertTrue(es.body().contains("«Tomar el control»") && es.body().contains("«Limpiar»"));
    assertTrue(es.body().contains("otro cliente usa las mismas credenciales"));
    assertTrue(en.body().contains("Another WhatsApp Web or WhatsApp Desktop is using this number"));
    assertTrue(en.body().contains("'take over'") && en.body().contains("'clear'"));
    assertTrue(en.body().contains("another client uses the same credentials"));
  }

  @Test
  void languageIsSpanishUnlessEnglishIsAskedFor() {
    assertEquals("es", AlertRecipients.languageOf(null));
    assertEquals("es", AlertRecipients.languageOf("fr"));
    assertEquals("en", AlertRecipients.languageOf("EN"));
    assertEquals("en", AlertRecipients.languageOf("en-GB"));
    AlertMessage alert = AlertMessage.of("2", AlertMessage.BANNED, Cause.banned(402), null, AT);
    assertEquals(AlertTexts.render(alert, "es"), AlertTexts.render(alert, "de"));
  }

  @Test
  void aKindWithoutItsOwnWordsStillNamesTheOrgAndTheKind() {
    AlertMessage alert = AlertMessage.of("2", "stale", null, null, AT);

    assertTrue(AlertTexts.render(alert, "es").subject().contains("problema en la sesión (stale)"));
    assertTrue(AlertTexts.render(alert, "en").body().contains("Vigía dashboard"));
  }

  @Test
  void alertsRefuseBadOrgsAndKindsThatCouldInjectHeaders() {
    assertThrows(IllegalArgumentException.class,
        () -> AlertMessage.of("../2", AlertMessage.CONFLICT, null, null, AT));
    assertThrows(IllegalArgumentException.class,
        () -> AlertMessage.of("2", "conflict\r\nX-Evil: 1", null, null, AT));
    assertThrows(IllegalArgumentException.class,
        () -> new AlertMessage("2", AlertMessage.CONFLICT, "urgent", null, null, AT));
    assertEquals(AlertMessage.CRITICAL, AlertMessage.severityOf(AlertMessage.BANNED));
    assertEquals(AlertMessage.INFO, AlertMessage.severityOf(AlertMessage.RECOVERED));
  }

  @Test
  void oneVocabularyTheBusAlertAndEveryDeliveryAgreeOnKindAndSeverity() {
    for (AlertKind kind : AlertKind.values()) {
      assertTrue(AlertMessage.KINDS.contains(kind.kind()), kind + " is deliverable");
      assertEquals(kind.severity(), AlertMessage.severityOf(kind.kind()), kind.toString());
    }
    assertEquals(AlertKind.values().length, AlertMessage.KINDS.size());
    assertEquals("breaker_open", AlertKind.BREAKER_OPEN.kind(),
        "the word webhooks and metrics already carry");
  }
}
