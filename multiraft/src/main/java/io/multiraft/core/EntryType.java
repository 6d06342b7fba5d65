package io.multiraft.core;

public enum EntryType {
  /** An application command, or an empty entry a new leader appends to commit its term. */
  NORMAL,
  /** A membership change, encoded by {@link ConfChangeCodec}. */
  CONF_CHANGE
}
