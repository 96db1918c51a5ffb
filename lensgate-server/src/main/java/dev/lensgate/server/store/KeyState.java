package dev.lensgate.server.store;

/** Lifecycle of an API key as listed to operators. */
public enum KeyState {
  /** Accepted. */
  ACTIVE,
  /** Rotated with a grace period that has not ended yet: still accepted until {@code expiresAt}. */
  ROTATING,
  /** Revoked, or rotated and past its grace period: refused with {@code key_revoked}. */
  REVOKED
}
