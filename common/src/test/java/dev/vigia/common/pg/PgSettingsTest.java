package dev.vigia.common.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** VIGIA_PG_URL as people write it for libpq, and a password that never shows. */
class PgSettingsTest {

  @Test
  void aLibpqUrlGivesEveryPart() {
    PgSettings s = PgSettings.parse("postgresql://vigia:p%40ss%3Aw%2Frd@db.example:6543/vigia_prod");
    assertEquals(new PgSettings("db.example", 6543, "vigia_prod", "vigia", "p@ss:w/rd"), s);
    assertEquals(5432, PgSettings.parse("postgres://u@h/d").port(), "default port; postgres:// too");
    assertNull(PgSettings.parse("postgres://u@h/d").password(), "no password: trust or .pgpass");
    assertEquals("::1", PgSettings.parse("postgresql://u:p@[::1]:5433/d").host());
  }

  @Test
  void toUrlReadsBackTheSame() {
    PgSettings s = new PgSettings("127.0.0.1", 5433, "db", "us er", "p@ss w:rd+/%");
    assertEquals(s, PgSettings.parse(s.toUrl()));
  }

  @Test
  void thePasswordIsNeverInWhatIsPrintedNorInAnError() {
    PgSettings s = PgSettings.parse("postgresql://vigia:s3cret-pw@h:5432/d");
    assertFalse(s.toString().contains("s3cret"));
    assertFalse(s.where().contains("s3cret"));
    for (String bad : List.of("mysql://vigia:s3cret-pw@h/d", "postgresql://vigia:s3cret-pw@h",
        "postgresql://vigia:s3cret-pw@h/d?sslmode=require", "postgresql://:s3cret-pw@h/d",
        "postgresql://vigia:s3cret-pw@/d", "postgresql://vigia:s3cret pw@h/d")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PgSettings.parse(bad), bad);
      assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
      assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }
  }
}
