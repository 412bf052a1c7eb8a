package dev.vigia.dashboard.web;

import io.vertx.ext.web.Router;

/** The web page. For now a placeholder at {@code /}; the console comes with issue 4. */
public final class PageRoutes {

  private static final String INDEX = """
      <!doctype html>
      <html lang="es">
      <head><meta charset="utf-8"><title>Vigía</title></head>
      <body><h1>Vigía</h1></body>
      </html>
      """;

  public void mount(Router router) {
    router.get("/").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", "default-src 'none'")
        .end(INDEX));
  }
}
