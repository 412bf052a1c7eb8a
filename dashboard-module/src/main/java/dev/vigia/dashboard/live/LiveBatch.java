package dev.vigia.dashboard.live;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The changes one subscriber gets in one write, in order. Subscribers that follow the same orgs
 * get the same batch from a flush (every admin's page does), so its bytes are joined once for all
 * of them, as each change is encoded once.
 */
public final class LiveBatch {

  private final List<LiveChange> changes;
  private Buffer sse;

  LiveBatch(List<LiveChange> changes) {
    this.changes = changes;
  }

  /** Never empty. */
  public List<LiveChange> changes() {
    return changes;
  }

  /** The batch's Server-Sent Events, in order, as the bytes of one write. */
  public Buffer sse() {
    if (sse == null) {
      if (changes.size() == 1) {
        sse = changes.get(0).sse();
      } else {
        int size = 0;
        for (LiveChange change : changes) {
          size += change.sse().length();
        }
        Buffer all = Buffer.buffer(size);
        for (LiveChange change : changes) {
          all.appendBuffer(change.sse());
        }
        sse = all;
      }
    }
    return sse;
  }
}
