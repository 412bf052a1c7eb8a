package dev.vigia.dashboard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The page is served from the classpath only, whatever folder the server was started in. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PageFilesTest {

  private HttpServer server;
  private WebClient web;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    Router router = Router.router(vertx);
    new PageRoutes(vertx).mount(router);
    router.errorHandler(404, ctx -> ctx.response().setStatusCode(404).end());
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    web = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    web.close();
    server.close().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> request(HttpMethod method, String path, String ifNoneMatch)
      throws Exception {
    var request = web.request(method, server.actualPort(), "127.0.0.1", path);
    if (ifNoneMatch != null) {
      request.putHeader("If-None-Match", ifNoneMatch);
    }
    return request.send().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aWebrootFolderInTheWorkingDirectoryIsNeverServed() throws Exception {
    Path folder = Path.of(PageRoutes.WEBROOT);
    boolean created = !Files.exists(folder);
    String name = "planted-" + UUID.randomUUID() + ".html";
    Path planted = Files.createDirectories(folder).resolve(name);
    Path index = folder.resolve("index.html");
    boolean plantedIndex = !Files.exists(index);
    try {
      Files.writeString(planted, "<script>alert(1)</script>");
      if (plantedIndex) {
        Files.writeString(index, "not the page");
      }
      assertEquals(404, request(HttpMethod.GET, "/" + name, null).statusCode());
      for (String page : new String[] {"/", "/index.html", PageRoutes.OLD_ADDRESS + "/"}) {
        HttpResponse<Buffer> r = request(HttpMethod.GET, page, null);
        assertEquals(200, r.statusCode(), page);
        assertEquals(classpathIndex(), r.bodyAsString(), page + " is the packaged page");
      }
    } finally {
      Files.deleteIfExists(planted);
      if (plantedIndex) {
        Files.deleteIfExists(index);
      }
      if (created) {
        Files.deleteIfExists(folder);
      }
    }
  }

  @Test
  void anUnchangedFileIsA304AndHeadHasNoBody() throws Exception {
    HttpResponse<Buffer> first = request(HttpMethod.GET, "/app.js", null);
    assertEquals(200, first.statusCode());
    assertTrue(first.getHeader("Content-Type").startsWith("text/javascript"),
        first.getHeader("Content-Type"));
    String etag = first.getHeader("ETag");
    assertEquals(304, request(HttpMethod.GET, "/app.js", etag).statusCode());
    assertEquals(200, request(HttpMethod.GET, "/app.js", "\"old\"").statusCode());
    HttpResponse<Buffer> head = request(HttpMethod.HEAD, "/app.js", null);
    assertEquals(200, head.statusCode());
    assertTrue(head.body() == null || head.body().length() == 0);
  }

  @Test
  void aFolderOrAHiddenNameIsNoFile() throws Exception {
    assertEquals(404, request(HttpMethod.GET, "/js", null).statusCode());
    assertEquals(404, request(HttpMethod.GET, "/js/", null).statusCode());
    assertEquals(404, request(HttpMethod.GET, "/.hidden", null).statusCode());
    HttpResponse<Buffer> nested = request(HttpMethod.GET, "/js/views/org.js", null);
    assertEquals(200, nested.statusCode());
    assertFalse(nested.bodyAsString().isEmpty());
  }

  private static String classpathIndex() throws Exception {
    try (InputStream in = PageFilesTest.class.getResourceAsStream("/webroot/index.html")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
