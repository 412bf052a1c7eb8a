package dev.vigia.common.monitor;

/**
 * The disk and network checks; replied with a {@link SystemHealth}: the last one, or with
 * {@code fresh} one made now (a few milliseconds to a few seconds: the network check waits for
 * WhatsApp's address to answer).
 */
public record SystemQuery(boolean fresh) {
  public static final String ADDRESS = MonitorAddresses.SYSTEM;
}
