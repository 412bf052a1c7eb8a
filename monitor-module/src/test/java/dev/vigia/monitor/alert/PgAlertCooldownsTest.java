package dev.vigia.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigia.common.pg.PgSettings;
import dev.vigia.common.pg.TestPostgres;
import dev.vigia.monitor.alert.AlertCooldowns.Claim;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cooldown contract against PostgreSQL, and what memory cannot do: a restart keeps the
 * cooldown, and two nodes claiming one alert at once send it once.
 */
class PgAlertCooldownsTest extends AlertCooldownsContractTest {

  static PgSettings db;

  @BeforeAll
  static void migrate() {
    db = TestPostgres.newMigratedDatabase();
  }

  @Override
  protected AlertCooldowns newCooldowns(Vertx vertx) {
    TestPostgres.emptyTables(db);
    return node(vertx);
  }

  static AlertCooldowns node(Vertx vertx) {
    return new PgAlertCooldowns(TestPostgres.pool(vertx, db));
  }

  @Test
  void aRestartKeepsTheCooldownAndTheKindsToResolve() throws Exception {
    claim("2", "conflict", T0);
    AlertCooldowns restarted = node(vertx);
    assertEquals(new Claim(false, 1), await(restarted.claim("2", "conflict", T0.plusSeconds(60),
        COOLDOWN)));
    assertEquals(java.util.Set.of("conflict"), await(restarted.resolve("2")));
  }

  @Test
  void twoNodesClaimingOneAlertAtOnceSendItOnce() throws Exception {
    List<Future<Claim>> claims = new ArrayList<>();
    for (int n = 0; n < 4; n++) {
      AlertCooldowns other = node(vertx);
      for (int i = 0; i < 5; i++) {
        claims.add(other.claim("2", "conflict", T0.plusSeconds(i), COOLDOWN));
      }
    }
    await(Future.join(new ArrayList<>(claims)));
    assertEquals(1, claims.stream().filter(c -> c.result().send()).count());
  }
}
