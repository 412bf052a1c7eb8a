package dev.vigia.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrgQueueTest {

  @Test
  void tasksOfOneOrgWaitForEachOtherAndOtherOrgsDoNot() {
    OrgQueue queue = new OrgQueue();
    List<String> log = new ArrayList<>();
    Promise<Void> slow = Promise.promise();
    queue.run("2", () -> {
      log.add("2:first");
      return slow.future();
    });
    queue.run("2", () -> {
      log.add("2:second");
      return Future.succeededFuture();
    });
    queue.run("4", () -> {
      log.add("4:only");
      return Future.succeededFuture();
    });
    assertEquals(List.of("2:first", "4:only"), log);
    slow.complete();
    assertEquals(List.of("2:first", "4:only", "2:second"), log);
  }

  @Test
  void aFailedTaskDoesNotStopTheNextOne() {
    OrgQueue queue = new OrgQueue();
    List<String> log = new ArrayList<>();
    queue.run("2", () -> {
      throw new IllegalStateException("boom");
    });
    queue.run("2", () -> Future.failedFuture("no"));
    queue.run("2", () -> {
      log.add("ran");
      return Future.succeededFuture();
    });
    assertEquals(List.of("ran"), log);
  }

  @Test
  void aTaskQueuedFromInsideARunningTaskRunsAfterIt() {
    OrgQueue queue = new OrgQueue();
    List<String> log = new ArrayList<>();
    Promise<Void> outer = Promise.promise();
    queue.run("2", () -> {
      log.add("outer starts");
      queue.run("2", () -> {
        log.add("event");
        return Future.succeededFuture();
      });
      log.add("outer continues");
      return outer.future();
    });
    assertEquals(List.of("outer starts", "outer continues"), log);
    Future<Void> drained = queue.drained();
    outer.complete();
    assertEquals(List.of("outer starts", "outer continues", "event"), log);
    assertEquals(true, drained.succeeded());
  }
}
