package dev.lensgate.runner.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every logback event of this JVM (gateway and runner alike) while open, with Lensgate's own
 * loggers at TRACE so that nothing a verbose deployment would print escapes the scan. Each event
 * becomes one line: logger, level, formatted message, raw arguments and the full stack trace.
 */
final class CapturedLogs implements AutoCloseable {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger lensgate = context.getLogger("dev.lensgate");
  private final Level savedLevel = lensgate.getLevel();

  CapturedLogs() {
    appender.setContext(context);
    appender.start();
    lensgate.setLevel(Level.TRACE);
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
  }

  List<String> lines() {
    List<String> out = new ArrayList<>();
    synchronized (appender) {
      for (ILoggingEvent e : appender.list) {
        StringBuilder b = new StringBuilder(e.getLoggerName()).append(' ').append(e.getLevel()).append(' ')
            .append(e.getFormattedMessage());
        if (e.getArgumentArray() != null) {
          for (Object a : e.getArgumentArray()) {
            b.append(" | ").append(a);
          }
        }
        if (e.getThrowableProxy() != null) {
          b.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  @Override
  public void close() {
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    lensgate.setLevel(savedLevel);
  }
}
