package io.multiraft.rangestore.api;

/** A range store configuration is invalid; the message names the setting and how to fix it (lesson 20). */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
