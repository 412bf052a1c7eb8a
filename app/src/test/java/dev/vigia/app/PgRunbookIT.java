package dev.vigia.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RunbookIT} with every store in PostgreSQL: the commands against the running server, and
 * against the stopped server's data dir, which then reads and writes the database.
 */
class PgRunbookIT extends RunbookIT {

  final TestStore store = TestStore.postgresEmptied(getClass());

  @Override
  TestStore store() {
    return store;
  }

  @Test
  void withTheServerStoppedAndPostgresqlDownEveryCommandSaysSoInOneLine() throws Exception {
    whatsapp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort(); // nothing listens there once this closes
    }
    Map<String, String> down = Map.of("VIGIA_PG_URL",
        "postgresql://vigia:secret-pw@127.0.0.1:" + closed + "/vigia");
    for (List<String> args : List.of(List.of("status"), List.of("doctor"),
        List.of("logs", "4"), List.of("clear", "4", "--yes"),
        List.of("user", "token", "admin"))) {
      Run r = vigia(down, args.toArray(String[]::new));
      assertEquals(1, r.exit(), args + ": " + r.out() + r.err());
      List<String> said = r.err().lines().filter(l -> l.startsWith("vigia: ")).toList();
      assertEquals(2, said.size(), args + ": " + r.err());
      assertTrue(said.get(0).contains("reading the data dir"), r.err());
      assertTrue(said.get(1).contains("PostgreSQL") && said.get(1).contains("127.0.0.1:"
          + closed), args + ": " + said.get(1));
      assertFalse(r.err().contains("\tat ") || r.out().contains("\tat "), "a stack trace: "
          + r.err());
      assertFalse(r.err().contains("secret-pw") || r.out().contains("secret-pw"),
          "the password shown: " + r.err());
    }
  }
}
