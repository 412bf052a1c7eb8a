package dev.vigia.monitor.alert;

import io.vertx.core.Vertx;

/** The cooldown contract in memory (the file store's: a restart forgets them). */
class MemoryAlertCooldownsContractTest extends AlertCooldownsContractTest {

  @Override
  protected AlertCooldowns newCooldowns(Vertx vertx) {
    return new MemoryAlertCooldowns();
  }
}
