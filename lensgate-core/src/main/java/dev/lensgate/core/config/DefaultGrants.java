package dev.lensgate.core.config;

/** {@code defaults.grants}: what an operation without an explicit grant allows (CONTRACT §5). */
public enum DefaultGrants {
  /** search, similar and subscribe are public unless granted otherwise; query is off. */
  OPEN,
  /** Every operation without an explicit grant is off. */
  STRICT
}
