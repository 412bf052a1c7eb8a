package dev.vigia.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class MaskedTest {

  @Test
  void aPhoneOrJidKeepsOnlyItsLastFourDigits() {
    assertEquals("*********1111@s.whatsapp.net", Masked.phone("5215550001111@s.whatsapp.net"));
    assertEquals("*********1111:7@s.whatsapp.net", Masked.phone("5215550001111:7@s.whatsapp.net"));
    assertEquals("*******4444", Masked.phone("52155504444"));
    assertNull(Masked.phone(null));
  }

  @Test
  void shortNumbersAndOtherTextStayAsTheyAre() {
    assertEquals("attempt 12 of org 2 after 515", Masked.in("attempt 12 of org 2 after 515"));
    assertEquals("send to ******4444 failed", Masked.in("send to 5215554444 failed"));
  }
}
