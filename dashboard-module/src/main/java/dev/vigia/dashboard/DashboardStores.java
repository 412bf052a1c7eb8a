package dev.vigia.dashboard;

import dev.vigia.dashboard.account.AccountStore;
import dev.vigia.dashboard.account.PgAccountStore;
import dev.vigia.dashboard.account.PgTokenStore;
import dev.vigia.dashboard.account.TokenStore;
import dev.vigia.dashboard.web.IdempotentSends;
import dev.vigia.dashboard.web.LoginThrottle;
import dev.vigia.dashboard.web.MemoryIdempotentSends;
import dev.vigia.dashboard.web.MemoryLoginThrottle;
import dev.vigia.dashboard.web.MemoryWebSessions;
import dev.vigia.dashboard.web.PgIdempotentSends;
import dev.vigia.dashboard.web.PgLoginThrottle;
import dev.vigia.dashboard.web.PgWebSessions;
import dev.vigia.dashboard.web.WebSessions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/**
 * Where the dashboard keeps accounts, admin tokens, web logins, the login throttle and
 * idempotency keys.
 */
public record DashboardStores(AccountStore accounts, TokenStore tokens, WebSessions logins,
    LoginThrottle throttle, IdempotentSends sends) {

  /**
   * The file store's: {@code accounts} and {@code tokens} (files in the data dir), the rest in
   * memory (a restart forgets them).
   */
  public static DashboardStores files(AccountStore accounts, TokenStore tokens, Clock clock) {
    return new DashboardStores(accounts, tokens, new MemoryWebSessions(clock),
        new MemoryLoginThrottle(clock), new MemoryIdempotentSends(clock));
  }

  /** Everything in PostgreSQL, on {@code pool}: shared by the nodes, kept across restarts. */
  public static DashboardStores postgres(Pool pool, Clock clock) {
    return new DashboardStores(new PgAccountStore(pool), new PgTokenStore(pool),
        new PgWebSessions(pool, clock), new PgLoginThrottle(pool, clock),
        new PgIdempotentSends(pool, clock));
  }
}
