package dev.lensgate.cli;

/** A failed operation with a message meant for the operator (exit status 1). */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliFailure(String message) {
    super(message);
  }
}
