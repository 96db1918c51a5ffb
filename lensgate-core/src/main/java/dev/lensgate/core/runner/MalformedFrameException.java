package dev.lensgate.core.runner;

/**
 * A frame that is not a valid runner protocol frame: too large, not JSON, too deep, an unknown
 * type or field, a wrong type, a value out of bounds. The only exception {@link RunnerFrameCodec#decode}
 * throws. The message names what was wrong, never a value from the frame.
 */
public final class MalformedFrameException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedFrameException(String message) {
    super(message);
  }

  public MalformedFrameException(String message, Throwable cause) {
    super(message, cause);
  }
}
