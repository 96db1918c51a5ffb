package dev.lensgate.cli;

import dev.lensgate.core.error.LensgateException;
import picocli.CommandLine;

/**
 * Turns a failed operation into one clear stderr line and exit status 1, never a stack trace with
 * possibly sensitive messages. {@code LENSGATE_DEBUG=1} prints the class chain for bug reports.
 */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    String message;
    if (e instanceof CliFailure) {
      message = e.getMessage();
    } else if (e instanceof LensgateException) {
      message = ((LensgateException) e).code().code() + ": " + e.getMessage();
    } else if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
      message = e.getMessage();
    } else {
      message = "unexpected " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + message);
    if ("1".equals(System.getenv("LENSGATE_DEBUG"))) {
      e.printStackTrace(cmd.getErr());
    }
    return 1;
  }
}
