package dev.vigia.app.ops;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigia user token <admin>}: an admin token for the other commands, shown once. With the
 * server stopped it is written to the data dir; with it running, the admin logs in (password from
 * {@code VIGIA_PASSWORD} or standard input) and the server makes it.
 */
@Command(name = "token", description = "Make an admin token for vigia status, logs, clear,"
    + " restart-engine and doctor (shown once; give it to them in VIGIA_TOKEN).")
public final class TokenCommand extends OpsCommands.Base {

  @Parameters(index = "0", paramLabel = "<admin>") String username;

  @Option(names = "--label", description = "what the token is for (shown in the token list)")
  String label;

  @Override
  public Integer call() throws IOException {
    String made;
    try (Target target = Target.findForLogin(connection.config.get(), connection.server,
        System.err)) {
      made = target.isServer() ? viaServer(target.server().base())
          : withData(target);
    }
    System.out.println(made);
    System.err.println("vigia: admin token made for " + username + "; it is shown only now: keep"
        + " it where only you can read it, and give it to the commands in VIGIA_TOKEN");
    return 0;
  }

  private String withData(Target target) {
    try (DataDirOps ops = new DataDirOps(target.config())) {
      return ops.token(username, label);
    }
  }

  private String viaServer(String base) throws IOException {
    String password = password();
    CookieManager cookies = new CookieManager();
    HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
        .connectTimeout(Duration.ofSeconds(5)).build();
    JsonObject login = new JsonObject().put("username", username).put("password", password);
    HttpResponse<String> in = send(http, HttpRequest.newBuilder(URI.create(base + "/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(login.encode())));
    if (in.statusCode() != 200) {
      throw new OpsException("the server refused the login of " + username + " ("
          + in.statusCode() + "): check the name and password");
    }
    String xsrf = cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals("XSRF-TOKEN")).map(HttpCookie::getValue).findFirst()
        .orElse("");
    JsonObject body = label == null ? new JsonObject() : new JsonObject().put("label", label);
    HttpResponse<String> made = send(http, HttpRequest.newBuilder(URI.create(base + "/api/tokens"))
        .header("Content-Type", "application/json").header("X-XSRF-TOKEN", xsrf)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    if (made.statusCode() != 201) {
      String why = made.body() == null || made.body().isBlank() ? ""
          : new JsonObject(made.body()).getString("error", "");
      throw new OpsException("the server did not make the token (" + made.statusCode() + "): "
          + why);
    }
    return new JsonObject(made.body()).getString("token");
  }

  private String password() throws IOException {
    String password = System.getenv("VIGIA_PASSWORD");
    if (password != null) {
      return password;
    }
    var console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("password of %s: ", username);
      return typed == null ? "" : new String(typed);
    }
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
        .readLine();
    return line == null ? "" : line;
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new OpsException("cannot reach the Vigía server: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpsException("interrupted");
    }
  }
}
