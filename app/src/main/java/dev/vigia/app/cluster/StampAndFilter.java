package dev.vigia.app.cluster;

import dev.vigia.common.cluster.LeaseManager;
import dev.vigia.common.session.Activity;
import dev.vigia.common.session.Operation;
import dev.vigia.common.session.StateChange;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node's gateway publishes about an org reaches every node's dashboards once (the bus
 * is clustered: one publish, one delivery per node's consumer), and only while this node owns the
 * org: a session that lost its lease may still report its end before it is stopped (a frozen
 * node resumed, say), and that would contradict its new owner on every page. State changes
 * already name this node ({@code StateChange.node}, written by the gateway's table into the JSON
 * text it publishes); nothing is added here.
 */
final class StampAndFilter implements Handler<DeliveryContext<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(StampAndFilter.class);
  private static final String STATE_PREFIX = StateChange.ADDRESS + ".";

  private final String self;
  private final LeaseManager leases;
  private final AtomicLong dropped = new AtomicLong();

  StampAndFilter(String self, LeaseManager leases) {
    this.self = self;
    this.leases = leases;
  }

  @Override
  public void handle(DeliveryContext<Object> ctx) {
    String address = ctx.message().address();
    boolean state = address.equals(StateChange.ADDRESS) || address.startsWith(STATE_PREFIX);
    boolean ours = state || address.equals(Activity.ADDRESS) || address.equals(Operation.ADDRESS);
    // outbound: what this node sends; of it, only the publications about an org are checked
    if (!ours || ctx.send()) {
      ctx.next();
      return;
    }
    // a state change is JSON text (encoded once by the gateway); activity and operations are
    // JsonObjects
    Object body = ctx.body();
    JsonObject json = body instanceof JsonObject object ? object
        : body instanceof Buffer text ? orgOf(text) : null;
    String org = json == null ? null : json.getString("org");
    if (org != null && !leases.holds(org)) {
      long n = dropped.incrementAndGet();
      LOG.info("node {} no longer owns organization {}: its late {} is not published ({} so far)",
          self, org, state ? "state change" : "event", n);
      return;
    }
    ctx.next();
  }

  private static JsonObject orgOf(Buffer text) {
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      return null; // not an org's event: let it through unchanged
    }
  }
}
