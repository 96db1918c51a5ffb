package dev.lensgate.server.stream;

import java.util.Optional;

/**
 * A client frame that gets an error frame instead of an effect. The message is ours, never the
 * client's input; {@code id} is the frame's subscription id when it could be read.
 */
final class FrameRejected extends RuntimeException {
  private final String code;
  private final Optional<String> id;

  FrameRejected(String code, String message, Optional<String> id) {
    super(message, null, false, false);
    this.code = code;
    this.id = id;
  }

  String code() { return code; }

  Optional<String> id() { return id; }
}
