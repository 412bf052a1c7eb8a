package dev.vigia.common.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code vigia doctor}: each problem a status report shows, named with its fix. */
class DoctorTest {

  static JsonObject healthy() {
    return new JsonObject()
        .put("engine", new JsonObject().put("name", "baileys").put("status", "UP"))
        .put("store", new JsonObject().put("name", "file").put("status", "UP"))
        .put("disk", new JsonObject().put("status", "UP").put("path", "/srv/vigia-data"))
        .put("network", new JsonObject().put("status", "UP").put("target", "web.whatsapp.com:443"))
        .put("sessions", new JsonArray()
            .add(new JsonObject().put("org", "2").put("state", "CONNECTED"))
            .add(new JsonObject().put("org", "3").put("state", "STOPPED"))
            .add(new JsonObject().put("org", "5").put("state", "RECONNECTING")));
  }

  @Test
  void aHealthyServerHasNoProblem() {
    assertEquals(List.of(), Doctor.examine(healthy()));
  }

  @Test
  void eachBrokenCheckIsNamedWithItsFixMostSeriousFirst() {
    JsonObject status = healthy();
    status.getJsonObject("engine").put("status", "DOWN").put("detail", "Node.js 18 is too old");
    status.getJsonObject("disk").put("status", "WARN").put("detail", "low disk space: 900 MiB");
    status.getJsonObject("network").put("status", "DOWN").put("detail", "cannot resolve");
    status.getJsonArray("sessions")
        .add(new JsonObject().put("org", "4").put("state", "CONFLICT")
            .put("cause", new JsonObject().put("code", 440).put("reason", "conflict")))
        .add(new JsonObject().put("org", "6").put("state", "QR_REQUIRED"))
        .add(new JsonObject().put("org", "7").put("state", "FAILED")
            .put("cause", new JsonObject().put("code", 500).put("reason", "bad_session")))
        .add(new JsonObject().put("org", "8").put("state", "FAILED")
            .put("cause", new JsonObject().put("code", 405).put("reason", "outdated")));

    List<Doctor.Problem> problems = Doctor.examine(status);
    assertEquals(List.of("engine_down", "network_down", "session_failed", "session_failed",
        "disk_low", "session_conflict", "session_waiting_scan"),
        problems.stream().map(Doctor.Problem::code).toList());
    Doctor.Problem engine = problems.get(0);
    assertTrue(engine.problem().contains("Node.js 18 is too old"), engine.problem());
    assertTrue(engine.fix().contains("VIGIA_NODE"), engine.fix());
    Doctor.Problem badSession = problems.stream().filter(p -> "7".equals(p.org())).findFirst()
        .orElseThrow();
    assertTrue(badSession.fix().contains("vigia clear 7"), badSession.fix());
    Doctor.Problem outdated = problems.stream().filter(p -> "8".equals(p.org())).findFirst()
        .orElseThrow();
    assertTrue(outdated.fix().contains("upgrade"), outdated.fix());
    Doctor.Problem conflict = problems.stream().filter(p -> "4".equals(p.org())).findFirst()
        .orElseThrow();
    assertTrue(conflict.problem().contains("440"), conflict.problem());
    assertTrue(conflict.fix().contains("Take over"), conflict.fix());
    assertTrue(problems.get(4).fix().contains("/srv/vigia-data"), problems.get(4).fix());
  }

  @Test
  void aStoppedServerAndAFullDiskAreErrors() {
    JsonObject status = healthy();
    status.getJsonObject("engine").put("status", "STOPPED");
    status.getJsonObject("disk").put("status", "DOWN").put("detail", "the disk is full");
    List<Doctor.Problem> problems = Doctor.examine(status);
    assertEquals(List.of("server_stopped", "disk_full"),
        problems.stream().map(Doctor.Problem::code).toList());
    problems.forEach(p -> assertEquals(Doctor.ERROR, p.severity()));
    assertEquals("disk_full", problems.get(1).toJson().getString("code"));
  }
}
