package dev.vigia.common.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What the monitor last found of the machine Vigía runs on ({@code df -h} and "check the network"
 * of the old runbook): the disk that holds the data dir, and whether WhatsApp's address resolves
 * and accepts a TCP connection. Statuses are {@link #UP}, {@link #WARN}, {@link #DOWN} or
 * {@link #UNKNOWN} (not checked yet).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SystemHealth(Disk disk, Network network) {

  public static final String UP = "UP";
  public static final String WARN = "WARN";
  public static final String DOWN = "DOWN";
  public static final String UNKNOWN = "UNKNOWN";

  /**
   * The data dir's disk: free and total bytes of its file system, the bytes the data dir itself
   * holds ({@code null} until first measured), and the free space under which it warns.
   * {@code DOWN}: (nearly) full, writes fail; {@code WARN}: under the threshold.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Disk(String status, String path, Long freeBytes, Long totalBytes, Long dataBytes,
      Long warnBelowBytes, String detail, Instant checkedAt) {}

  /**
   * WhatsApp's address ({@code host:port}): {@code UP} when it resolved and accepted a TCP
   * connection, {@code DOWN} with what failed (the name, or the connection), {@code millis} the
   * time the check took.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Network(String status, String target, String detail, Long millis,
      Instant checkedAt) {}

  /** Nothing checked yet. */
  public static SystemHealth unknown(String dataPath, String target) {
    return new SystemHealth(
        new Disk(UNKNOWN, dataPath, null, null, null, null, "not checked yet", null),
        new Network(UNKNOWN, target, "not checked yet", null, null));
  }
}
