package dev.vigia.dashboard.account;

import dev.vigia.common.Json;
import dev.vigia.common.OrgId;
import dev.vigia.common.account.OrgSettings;
import dev.vigia.common.account.OrgSettingsQuery;
import dev.vigia.common.logging.OrgMdc;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link OrgSettingsQuery} from the accounts, which the dashboard owns: the monitor asks
 * where an org's alerts go and in which language. 400 for an invalid id, 404 for an unknown org.
 */
public final class OrgSettingsResponder {

  private static final Logger LOG = LoggerFactory.getLogger(OrgSettingsResponder.class);

  private final Vertx vertx;
  private final AccountStore accounts;
  private MessageConsumer<JsonObject> consumer;

  public OrgSettingsResponder(Vertx vertx, AccountStore accounts) {
    this.vertx = vertx;
    this.accounts = accounts;
  }

  /** Starts answering; completes once the consumer is registered. */
  public Future<Void> register() {
    consumer = vertx.eventBus().consumer(OrgSettingsQuery.ADDRESS, this::answer);
    return consumer.completion();
  }

  public Future<Void> unregister() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void answer(Message<JsonObject> msg) {
    String org;
    try {
      org = msg.body() == null ? null : Json.fromJson(msg.body(), OrgSettingsQuery.class).org();
    } catch (RuntimeException e) {
      org = null;
    }
    if (!OrgId.isValid(org)) {
      msg.fail(400, "invalid organization id");
      return;
    }
    String id = org;
    accounts.findOrg(id).onComplete(found -> {
      if (found.failed()) {
        OrgMdc.run(id, () -> LOG.error("org {}: cannot read the accounts for its settings", id,
            found.cause()));
        msg.fail(500, "the accounts could not be read");
      } else if (found.result().isEmpty()) {
        msg.fail(404, "unknown org " + id);
      } else {
        Org o = found.result().get();
        msg.reply(Json.toJson(new OrgSettings(o.id(), o.name(), o.alertEmails(), o.webhookUrl(),
            o.language())));
      }
    });
  }
}
