package dev.vigia.common.config;

/** A bad configuration value; the message is one line naming the variable. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
