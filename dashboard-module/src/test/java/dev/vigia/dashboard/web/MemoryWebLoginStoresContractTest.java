package dev.vigia.dashboard.web;

import io.vertx.core.Vertx;

/** The contract in memory: the file store's logins, throttle and idempotency keys. */
class MemoryWebLoginStoresContractTest extends WebLoginStoresContractTest {

  @Override
  protected WebSessions newSessions(Vertx vertx) {
    return new MemoryWebSessions(clock);
  }

  @Override
  protected LoginThrottle newThrottle(Vertx vertx) {
    return new MemoryLoginThrottle(clock);
  }

  @Override
  protected IdempotentSends newSends(Vertx vertx) {
    return new MemoryIdempotentSends(clock);
  }
}
