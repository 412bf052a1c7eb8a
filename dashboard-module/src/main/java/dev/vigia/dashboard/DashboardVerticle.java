package dev.vigia.dashboard;

import dev.vigia.common.config.VigiaConfig;
import dev.vigia.common.logging.OrgLogLines;
import dev.vigia.dashboard.account.AccountStore;
import dev.vigia.dashboard.account.TokenStore;
import dev.vigia.dashboard.account.FirstAdmin;
import dev.vigia.dashboard.account.OrgSettingsResponder;
import dev.vigia.dashboard.account.Org;
import dev.vigia.dashboard.account.PasswordHasher;
import dev.vigia.dashboard.live.BridgeTickets;
import dev.vigia.dashboard.live.EventBusBridge;
import dev.vigia.dashboard.live.LiveFeed;
import dev.vigia.dashboard.live.OpenStreams;
import dev.vigia.dashboard.live.StreamRoutes;
import dev.vigia.dashboard.web.AccountRoutes;
import dev.vigia.dashboard.web.ApiException;
import dev.vigia.dashboard.web.ApiKeyRoutes;
import dev.vigia.dashboard.web.ArchiveRoutes;
import dev.vigia.dashboard.web.ClusterRoutes;
import dev.vigia.dashboard.web.AuthRoutes;
import dev.vigia.dashboard.web.Authenticator;
import dev.vigia.dashboard.web.ErrorHandler;
import dev.vigia.dashboard.web.HealthRoutes;
import dev.vigia.dashboard.web.LegacyRoutes;
import dev.vigia.dashboard.web.InvalidRequests;
import dev.vigia.dashboard.web.MessageRoutes;
import dev.vigia.dashboard.web.MetricsRoutes;
import dev.vigia.dashboard.web.MonitorRoutes;
import dev.vigia.dashboard.web.OpsRoutes;
import dev.vigia.dashboard.web.OrgLogRoutes;
import dev.vigia.dashboard.web.TokenRoutes;
import dev.vigia.dashboard.web.PageRoutes;
import dev.vigia.dashboard.web.PathGuard;
import dev.vigia.dashboard.web.SessionRoutes;
import dev.vigia.dashboard.web.SimRoutes;
import dev.vigia.dashboard.web.WebSessions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of Vigía (DESIGN §5): login, accounts, and the session API, which it serves by
 * asking the gateway and the journal over the event bus.
 */
public class DashboardVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardVerticle.class);

  /** Largest request body accepted; more is a 413. */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  /** How long a command may wait for the gateway before the caller gets a 503. */
  public static final Duration BUS_TIMEOUT = Duration.ofSeconds(10);
  /** How long a question to the monitor (health, stats, stale) may wait before a 503. */
  public static final Duration MONITOR_TIMEOUT = Duration.ofSeconds(5);

  /** Every path with an org in it; their {@code :org} is checked before anything else. */
  private static final List<String> ORG_PATHS = List.of("/api/sessions/:org",
      "/api/sessions/:org/*", "/api/orgs/:org", "/api/orgs/:org/*", "/api/sim/sessions/:org",
      "/api/sim/sessions/:org/*");

  private Future<?> servingAfter = Future.succeededFuture();
  private final VigiaConfig config;
  private final DashboardStores stores;
  private final AccountStore accounts;
  private final Clock clock;
  private final Duration streamHeartbeat;
  private volatile HttpServer server; // read by tests and the app off its context
  private OrgSettingsResponder orgSettings;
  private LiveFeed feed;
  private final TokenStore tokens;
  private OrgLogLines orgLogLines = new OrgLogLines();

  /** With its accounts, admin tokens, logins, throttle and idempotency keys in {@code stores}. */
  public DashboardVerticle(VigiaConfig config, DashboardStores stores, Clock clock) {
    this(config, stores, clock, StreamRoutes.HEARTBEAT);
  }

  /** With another SSE heartbeat period: for tests. */
  public DashboardVerticle(VigiaConfig config, DashboardStores stores, Clock clock,
      Duration streamHeartbeat) {
    this.config = config;
    this.stores = stores;
    this.accounts = stores.accounts();
    this.tokens = stores.tokens();
    this.clock = clock;
    this.streamHeartbeat = streamHeartbeat;
  }

  /** The server's recent log lines per org, for the org log views (default: none kept). */
  public DashboardVerticle withOrgLogLines(OrgLogLines lines) {
    this.orgLogLines = lines;
    return this;
  }

  /**
   * Requests other than {@code /health} wait (held by the starting gate) until {@code ready}
   * completes too: the app passes "the gateway and the monitor are deployed", so a request that
   * comes during the start is answered by them, not refused with a 503 for want of a handler.
   */
  public DashboardVerticle servingAfter(Future<?> ready) {
    this.servingAfter = ready;
    return this;
  }

  /** The port the server listens on (the real one when configured with port 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> start() {
    PasswordHasher hasher = new PasswordHasher(config.passwordIterations());
    feed = new LiveFeed(vertx, context);
    // listening comes first: /health answers while the accounts are read and the routes built
    StartingGate gate = new StartingGate();
    // HTTP/1.1 only: no client speaks cleartext HTTP/2 to it, and the h2c upgrade's ~140 classes
    // would be loaded by the first connection, the liveness probe's
    return vertx.createHttpServer(new HttpServerOptions()
            .setHost(config.httpHost()).setPort(config.httpPort())
            .setHttp2ClearTextEnabled(false))
        .requestHandler(gate)
        .invalidRequestHandler(InvalidRequests::answer)
        .listen()
        .onSuccess(s -> {
          server = s;
          LOG.info("Vigía listening on http://{}:{}: /health answers, the rest once the accounts"
              + " are read", config.httpHost(), s.actualPort());
        })
        .compose(s -> accounts.open())
        .compose(v -> tokens.open())
        .compose(v -> accounts.listOrgs())
        .onSuccess(orgs -> feed.orgsKnown(orgs.stream().map(Org::id).toList()))
        .compose(v -> FirstAdmin.ensure(vertx, accounts, hasher, config.adminUser(),
            config.adminPassword(), config.dataPath()))
        .compose(v -> {
          orgSettings = new OrgSettingsResponder(vertx, accounts);
          return orgSettings.register();
        })
        .onSuccess(v -> {
          Router router = router(hasher);
          servingAfter.onSuccess(ready -> context.runOnContext(go -> {
            gate.open(router);
            LOG.info("Vigía serving http://{}:{}", config.httpHost(), server.actualPort());
          }));
        });
  }

  private Router router(PasswordHasher hasher) {
    GatewayClient gateway = new GatewayClient(vertx, BUS_TIMEOUT);
    WebSessions sessions = stores.logins();
    Authenticator auth = new Authenticator(accounts, sessions, tokens);
    MonitorClient monitor = new MonitorClient(vertx, MONITOR_TIMEOUT);
    OpenStreams streams = new OpenStreams();
    Router router = Router.router(vertx);
    router.route().handler(new PathGuard());
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    // a bad org id is a 400 whatever the method, before a 405 or a login check
    for (String withOrg : ORG_PATHS) {
      router.route(withOrg).handler(auth.org());
    }
    new HealthRoutes(gateway, monitor, config.engine()).mount(router);
    new PageRoutes(vertx).mount(router);
    new AuthRoutes(vertx, accounts, hasher, sessions, stores.throttle(), auth, streams)
        .mount(router);
    new AccountRoutes(vertx, accounts, hasher, gateway, auth, sessions, streams, feed)
        .mount(router);
    new ApiKeyRoutes(accounts, auth, clock, streams).mount(router);
    new TokenRoutes(accounts, tokens, auth, clock, streams).mount(router);
    new OpsRoutes(accounts, gateway, monitor, auth, config.engine(), config.store(), clock)
        .mount(router);
    new OrgLogRoutes(vertx, gateway, auth, orgLogLines, streams, streamHeartbeat).mount(router);
    SessionRoutes sessionRoutes = new SessionRoutes(accounts, gateway, auth, clock);
    sessionRoutes.mount(router);
    new ArchiveRoutes(accounts, gateway, auth).mount(router);
    new ClusterRoutes(vertx, accounts, auth).mount(router);
    new LegacyRoutes(auth, sessionRoutes).mount(router);
    new SimRoutes(gateway, auth, "simulated".equals(config.engine())).mount(router);
    new MonitorRoutes(monitor, auth).mount(router);
    new MessageRoutes(gateway, auth, stores.sends()).mount(router);
    new StreamRoutes(vertx, auth, streamHeartbeat, streams, feed).mount(router);
    new EventBusBridge(vertx, auth, streams, feed, new BridgeTickets(clock)).mount(router);
    new MetricsRoutes(config.metricsToken()).mount(router);
    router.route().failureHandler(ErrorHandler::handle);
    router.errorHandler(404, ctx -> ErrorHandler.send(ctx, ErrorHandler.toApi(ctx.failure(), 404)));
    router.errorHandler(405, ctx -> ErrorHandler.send(ctx, ErrorHandler.toApi(ctx.failure(), 405)));
    router.errorHandler(500, ctx -> ErrorHandler.send(ctx, ctx.failure() instanceof ApiException a
        ? a : ErrorHandler.toApi(ctx.failure(), 500)));
    return router;
  }

  @Override
  public Future<?> stop() {
    Future<Void> settings = orgSettings == null ? Future.succeededFuture() : orgSettings.unregister();
    return settings.compose(v -> server == null ? Future.succeededFuture() : server.close());
  }
}
