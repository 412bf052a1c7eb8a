package dev.vigia.gateway;

import dev.vigia.common.Json;
import dev.vigia.common.gateway.Failure;
import dev.vigia.common.gateway.RepairRequest;
import dev.vigia.common.gateway.RepairResult;
import dev.vigia.common.logging.OrgMdc;
import dev.vigia.common.order.KeyedQueue;
import dev.vigia.common.session.Activity;
import dev.vigia.gateway.engine.Engine;
import dev.vigia.gateway.engine.KeyRange;
import dev.vigia.gateway.session.OwningContext;
import dev.vigia.gateway.session.SessionTable;
import dev.vigia.gateway.store.AuthStateStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resets one contact's Signal sessions (DESIGN §3: Bad MAC from one contact is not a corrupt
 * login): the keys the engine names for that contact are deleted, so the next message starts a
 * fresh session; the credentials stay. Queued behind the org's commands.
 */
final class ContactRepair {

  private static final Logger LOG = LoggerFactory.getLogger(ContactRepair.class);

  private final OwningContext owner;
  private final KeyedQueue queue;
  private final SessionTable table;
  private final AuthStateStore store;
  private final Engine engine;
  private final EventBus bus;
  private final Clock clock;

  ContactRepair(OwningContext owner, KeyedQueue queue, SessionTable table, AuthStateStore store,
      Engine engine, EventBus bus, Clock clock) {
    this.owner = owner;
    this.queue = queue;
    this.table = table;
    this.store = store;
    this.engine = engine;
    this.bus = bus;
    this.clock = clock;
  }

  Future<RepairResult> repair(RepairRequest r) {
    String org = RequestChecks.org(r.org());
    String contact = RequestChecks.contact(r.contact());
    return queue.run(org, () -> owner.back(store.readCreds(org)).compose(creds -> {
      if (creds == null && table.find(org) == null) {
        return Future.failedFuture(new GatewayFailure(Failure.UNKNOWN,
            "this organization has no session to repair"));
      }
      return owner.back(engine.contactSessions(contact,
              (type, ids) -> owner.back(store.getKeys(org, type, ids))))
          .compose(ranges -> keysIn(org, ranges))
          .compose(byType -> delete(org, byType))
          .map(removed -> {
            OrgMdc.run(org, () -> LOG.info("repair removed {} Signal session key(s) of one"
                + " contact", removed));
            bus.publish(Activity.ADDRESS, Json.toJson(new Activity(org, Activity.REPAIRED,
                contact, "removed " + removed + " Signal session key(s)", clock.instant())));
            return new RepairResult(org, contact, removed);
          });
    }));
  }

  /** The stored ids of every range, by type, each once. */
  private Future<Map<String, Map<String, String>>> keysIn(String org, List<KeyRange> ranges) {
    List<Future<List<String>>> found = ranges.stream()
        .map(range -> owner.back(store.keyIds(org, range.type(), range.idPrefix()))).toList();
    return Future.all(found).map(all -> {
      Map<String, Map<String, String>> deletions = new HashMap<>();
      for (int i = 0; i < ranges.size(); i++) {
        Map<String, String> ofType = deletions.computeIfAbsent(ranges.get(i).type(),
            t -> new HashMap<>());
        found.get(i).result().forEach(id -> ofType.put(id, null));
      }
      deletions.values().removeIf(Map::isEmpty);
      return deletions;
    });
  }

  private Future<Integer> delete(String org, Map<String, Map<String, String>> deletions) {
    int count = deletions.values().stream().mapToInt(Map::size).sum();
    if (count == 0) {
      return Future.succeededFuture(0);
    }
    return owner.back(store.setKeys(org, deletions)).map(v -> count);
  }
}
