package dev.vigia.dashboard.web;

import dev.vigia.common.gateway.SendRequest;
import dev.vigia.dashboard.GatewayClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * {@code POST /api/sessions/{org}/messages {to, text}}: a text through the org's session, for its
 * people, an admin or its API key. An {@code Idempotency-Key} header (or {@code idempotencyKey} in
 * the body) makes a retry return the first answer instead of sending again.
 */
public final class MessageRoutes {

  public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
  public static final int MAX_TEXT = 4096;
  /** A phone number in international format (digits only), or a user or group jid. */
  private static final Pattern TO = Pattern.compile(
      "[0-9]{6,20}|[0-9]{6,20}(:[0-9]{1,4})?@s\\.whatsapp\\.net|[0-9]{6,20}(-[0-9]{1,20})?@g\\.us");
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

  private final GatewayClient gateway;
  private final Authenticator auth;
  private final IdempotentSends sends;

  public MessageRoutes(GatewayClient gateway, Authenticator auth, IdempotentSends sends) {
    this.gateway = gateway;
    this.auth = auth;
    this.sends = sends;
  }

  public void mount(Router router) {
    router.post("/api/sessions/:org/messages").handler(auth.org()).handler(auth.userOrKey())
        .handler(this::send);
  }

  private void send(RoutingContext ctx) {
    String org = ctx.pathParam("org");
    Authenticator.caller(ctx).requireAccess(org);
    JsonObject body = JsonBodies.object(ctx);
    String to = JsonBodies.string(body, "to", true, 64);
    if (!TO.matcher(to).matches()) {
      throw ApiException.invalidField("to", "must be a phone number in international format"
          + " (6 to 20 digits, no '+') or a WhatsApp id ending in @s.whatsapp.net or @g.us");
    }
    String text = JsonBodies.string(body, "text", true, MAX_TEXT);
    if (text.isBlank()) {
      throw ApiException.invalidField("text", "must not be blank");
    }
    String key = ctx.request().getHeader(IDEMPOTENCY_HEADER);
    if (key == null) {
      key = JsonBodies.string(body, "idempotencyKey", false, 200);
    }
    if (key != null && !KEY.matcher(key).matches()) {
      throw ApiException.invalidField(IDEMPOTENCY_HEADER,
          "must be 1 to 200 visible ASCII characters (a UUID is a good choice)");
    }
    SendRequest request = new SendRequest(org, to, text, key);
    sends.once(org, key, () -> gateway.send(request))
        .onSuccess(receipt -> {
          if (receipt == null || receipt.id() == null) {
            ctx.fail(new ApiException(503, "unavailable",
                "the session service gave no receipt for the message; try again with the same key"));
            return;
          }
          JsonResponses.send(ctx, 202, receipt);
        })
        .onFailure(ctx::fail);
  }
}
