package dev.vigia.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import dev.vigia.common.session.StateChange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {

  private record At(Instant at) {}

  @Test
  void everyInstantVigiaWritesIsReadBackExactly() {
    SplittableRandom random = new SplittableRandom(12);
    for (int i = 0; i < 20_000; i++) {
      // 1970 to 2200, with whole seconds, millis, micros and nanos
      long seconds = random.nextLong(0, 7_258_118_400L);
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant at = Instant.ofEpochSecond(seconds, nanos);
      assertEquals(at.toString(), IsoInstants.format(at));
      assertEquals("{\"at\":\"" + at + "\"}", Json.toBuffer(new At(at)).toString());
      assertEquals(at, IsoInstants.parse(at.toString()), at.toString());
      assertEquals(at, Json.fromBody(Json.toBuffer(new At(at)), At.class).at());
      assertEquals(at, Json.fromJson(Json.toJson(new At(at)), At.class).at());
    }
  }

  @Test
  void instantsOutsideTheFourDigitYearsAreWrittenAsInstantWritesThem() {
    for (Instant at : new Instant[] {Instant.EPOCH, Instant.MIN, Instant.MAX,
        Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
        Instant.parse("0000-01-01T00:00:00Z").minusNanos(1),
        Instant.parse("9999-12-31T23:59:59.999999999Z").plusNanos(1),
        Instant.ofEpochSecond(-1, 1)}) {
      assertEquals(at.toString(), IsoInstants.format(at));
      assertEquals(at, Json.fromBody(Json.toBuffer(new At(at)), At.class).at());
    }
  }

  @Test
  void aStateChangeKeepsItsInstantThroughTheBus() {
    Instant at = Instant.parse("2026-12-01T22:42:20.123456Z");
    StateChange change = new StateChange("org-1", SessionState.CONNECTED,
        SessionState.RECONNECTING, Cause.connectionLost(), null, null, null, null, at, 7, null);
    assertEquals(change, Json.fromBody(Json.toBuffer(change), StateChange.class));
  }

  @Test
  void whatIsNotExactlyVigiasFormIsLeftToJacksonsReader() {
    for (String text : new String[] {"2026-12-01T22:42:20+01:00", "+10000-01-01T00:00:00Z",
        "2026-12-01T22:42:20.Z", "2026-12-01T22:42:20.1234567890Z", "2026-12-01 22:42:20Z",
        "2026-02-30T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T22:42:2aZ", "2026-12-01"}) {
      assertNull(IsoInstants.parse(text), text);
    }
    // an offset is read by Jackson, as before
    assertEquals(Instant.parse("2026-12-01T21:42:20Z"),
        Json.fromBody(Buffer.buffer("{\"at\":\"2026-12-01T22:42:20+01:00\"}"), At.class).at());
    // a number of seconds too
    assertEquals(Instant.ofEpochSecond(1_700_000_000L),
        Json.fromJson(new JsonObject().put("at", 1_700_000_000L), At.class).at());
    // and a date that does not exist fails as it did
    Exception e = assertThrows(IllegalArgumentException.class, () -> Json.fromBody(
        Buffer.buffer("{\"at\":\"2026-02-30T00:00:00Z\"}"), At.class));
    assertEquals(InvalidFormatException.class, e.getCause().getClass());
  }
}
