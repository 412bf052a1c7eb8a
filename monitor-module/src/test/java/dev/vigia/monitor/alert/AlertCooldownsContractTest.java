package dev.vigia.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigia.monitor.alert.AlertCooldowns.Claim;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What every {@link AlertCooldowns} must do (memory, PostgreSQL). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class AlertCooldownsContractTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final Duration COOLDOWN = Duration.ofSeconds(900);

  protected Vertx vertx;
  protected AlertCooldowns cooldowns;

  protected abstract AlertCooldowns newCooldowns(Vertx vertx) throws Exception;

  @BeforeEach
  void create(Vertx vertx) throws Exception {
    this.vertx = vertx;
    cooldowns = newCooldowns(vertx);
  }

  @Test
  void oneAlertPerOrgAndKindPerCooldownTheRestCounted() throws Exception {
    assertEquals(new Claim(true, 0), claim("2", "conflict", T0));
    assertEquals(new Claim(false, 1), claim("2", "conflict", T0.plusSeconds(60)));
    assertEquals(new Claim(false, 2), claim("2", "conflict", T0.plusSeconds(899)));
    assertEquals(new Claim(true, 0), claim("4", "conflict", T0.plusSeconds(100)), "another org");
    assertEquals(new Claim(true, 0), claim("2", "banned", T0.plusSeconds(100)), "another kind");
    assertEquals(new Claim(true, 0), claim("2", "conflict", T0.plusSeconds(900)),
        "the cooldown is over");
    assertEquals(new Claim(false, 1), claim("2", "conflict", T0.plusSeconds(901)),
        "a new cooldown from the alert that went out");
  }

  @Test
  void resolvingAnOrgNamesItsKindsOnceAndStartsItsCooldownsOver() throws Exception {
    claim("2", "conflict", T0);
    claim("2", "breaker_open", T0);
    claim("2", "conflict", T0.plusSeconds(1));
    claim("4", "banned", T0);
    assertEquals(Set.of("breaker_open", "conflict"), await(cooldowns.resolve("2")));
    assertEquals(Set.of(), await(cooldowns.resolve("2")), "resolved once");
    assertEquals(Set.of(), await(cooldowns.resolve("9")), "never alerted");
    assertEquals(new Claim(true, 0), claim("2", "conflict", T0.plusSeconds(2)),
        "after a recovery a new conflict is news");
    assertEquals(new Claim(false, 1), claim("4", "banned", T0.plusSeconds(2)),
        "another org's cooldown stays");
  }

  protected Claim claim(String org, String kind, Instant now) throws Exception {
    return await(cooldowns.claim(org, kind, now, COOLDOWN));
  }

  protected static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
