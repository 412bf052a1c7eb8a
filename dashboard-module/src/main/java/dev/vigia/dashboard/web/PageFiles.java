package dev.vigia.dashboard.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.MimeMapping;
import io.vertx.ext.web.RoutingContext;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page's files, read from the classpath folder {@code webroot} only. Vert.x's file resolver
 * (and so {@code StaticHandler} and {@code sendFile}) would look in a {@code ./webroot} folder of
 * the working directory first, letting any such folder replace the page. Files found are kept in
 * memory (the page is small); a file is read once, on a worker.
 */
final class PageFiles {

  /** One file of the page, ready to send. */
  private record PageFile(Buffer body, String contentType, String etag) {}

  private final Vertx vertx;
  private final String root;
  private final Map<String, PageFile> found = new ConcurrentHashMap<>();

  PageFiles(Vertx vertx, String root) {
    this.vertx = vertx;
    this.root = root;
  }

  /** Sends the file at the request's path ({@code index.html} for a folder); a miss goes next. */
  void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    serve(ctx, path.endsWith("/") ? path + "index.html" : path);
  }

  /** Sends the file at {@code path} (starting with '/'); a miss goes to the next route, a 404. */
  void serve(RoutingContext ctx, String path) {
    if (path.contains("/.") || path.contains("\\")) {
      ctx.next(); // hidden files and any way out of the folder are never served
      return;
    }
    PageFile cached = found.get(path);
    Future<PageFile> file = cached != null ? Future.succeededFuture(cached)
        : vertx.executeBlocking(() -> read(path), false);
    file.onSuccess(f -> {
      if (f == null) {
        ctx.next();
        return;
      }
      found.putIfAbsent(path, f);
      send(ctx, f);
    }).onFailure(ctx::fail);
  }

  private static void send(RoutingContext ctx, PageFile file) {
    var response = ctx.response();
    response.putHeader(HttpHeaders.ETAG, file.etag());
    if (file.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, file.contentType()).end(file.body());
  }

  /** The file, or null when the classpath has no such file (a folder is no file). */
  private PageFile read(String path) throws Exception {
    URL url = PageFiles.class.getClassLoader().getResource(root + path);
    if (url == null) {
      return null;
    }
    URLConnection connection = url.openConnection();
    if (connection instanceof JarURLConnection jar && jar.getJarEntry().isDirectory()
        || "file".equals(url.getProtocol()) && Files.isDirectory(Path.of(url.toURI()))) {
      return null;
    }
    byte[] bytes;
    try (InputStream in = connection.getInputStream()) {
      bytes = in.readAllBytes();
    }
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
    String etag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + "\"";
    return new PageFile(Buffer.buffer(bytes), contentType(path), etag);
  }

  private static String contentType(String path) {
    String type = MimeMapping.mimeTypeForFilename(path);
    if (type == null) {
      return "application/octet-stream";
    }
    return type.startsWith("text/") || type.equals("application/json")
        || type.equals("image/svg+xml") ? type + "; charset=utf-8" : type;
  }
}
