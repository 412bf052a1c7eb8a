package dev.vigia.dashboard.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * First handler of every request. Refuses raw paths with dot segments or encoded separators
 * before the router normalizes them away ({@code /api/sessions/%2e%2e/clear} must not become
 * {@code /api/clear}), and sets the headers every answer carries.
 */
public final class PathGuard implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    String raw = ctx.request().path();
    if (raw == null || hasTraversal(raw)) {
      ctx.fail(ApiException.badRequest("invalid_path",
          "the path may not contain '.' or '..' segments or encoded slashes"));
      return;
    }
    var headers = ctx.response().headers();
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    if (raw.startsWith("/api/") || raw.equals("/api") || raw.startsWith("/auth/")
        || raw.startsWith("/dashboard/")) {
      headers.set("Cache-Control", "no-store");
    }
    ctx.next();
  }

  static boolean hasTraversal(String rawPath) {
    String lower = rawPath.toLowerCase(Locale.ROOT);
    if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\")
        || lower.contains("%00") || lower.contains("%25")) {
      return true;
    }
    for (String segment : lower.split("/", -1)) {
      String decoded = segment.replace("%2e", ".");
      if (decoded.equals(".") || decoded.equals("..")) {
        return true;
      }
    }
    return false;
  }
}
