package dev.vigia.dashboard.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser page: the static files of the classpath folder {@code webroot} at {@code /}, and
 * the same {@code index.html} at the old page's address {@code /dashboard/whatsapp-baileys/}.
 * Every page answer carries a CSP that allows no inline script and no other origin.
 */
public final class PageRoutes {

  public static final String WEBROOT = "webroot";
  public static final String OLD_ADDRESS = "/dashboard/whatsapp-baileys";
  public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
      + "style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
      + "object-src 'none'; form-action 'self'; frame-ancestors 'none'";

  // the API, login, health, metrics and the bridge are never files: the static handler does not look
  private static final String STATIC_PATHS =
      "^/(?!api/|api$|auth/|health|metrics|eventbus|dashboard/).*";

  private final PageFiles files;

  public PageRoutes(Vertx vertx) {
    this.files = new PageFiles(vertx, WEBROOT);
  }

  public void mount(Router router) {
    // one route per path with both methods: a missing file is then a 404, not a 405
    router.routeWithRegex(STATIC_PATHS).method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(PageRoutes::pageHeaders).handler(files::handle);
    for (String old : new String[] {OLD_ADDRESS, OLD_ADDRESS + "/"}) {
      router.route(old).method(HttpMethod.GET).method(HttpMethod.HEAD)
          .handler(PageRoutes::pageHeaders).handler(ctx -> files.serve(ctx, "/index.html"));
    }
  }

  /**
   * The headers of every page answer. Files have no hash in their names, so the browser asks again
   * each time (a cheap 304 thanks to the ETag) and a new release shows at once.
   */
  private static void pageHeaders(RoutingContext ctx) {
    var headers = ctx.response().headers();
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Frame-Options", "DENY");
    ctx.addHeadersEndHandler(v -> noCache(ctx));
    ctx.next();
  }

  private static void noCache(RoutingContext ctx) {
    if (ctx.response().getStatusCode() >= 400) {
      return; // an error answer keeps the API's no-store
    }
    var headers = ctx.response().headers();
    headers.set(HttpHeaders.CACHE_CONTROL, "no-cache");
    headers.remove(HttpHeaders.EXPIRES);
  }
}
