package dev.lensgate.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event for the duration of a test: logback's root logger (with chosen loggers
 * raised to a more verbose level), and the JDK logging root (for libraries that log through
 * java.util.logging, e.g. the PostgreSQL driver) at its configured levels. Each event becomes one
 * line with its logger, formatted message, arguments and full stack trace text, so a scan cannot
 * miss a value hidden in an exception message or a cause. Shared by every sentinel-scanning test.
 */
public final class LogCapture implements AutoCloseable {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Map<Logger, Level> saved = new LinkedHashMap<>();
  private final List<String> julLines = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Handler julHandler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      StringBuilder b = new StringBuilder("jul ").append(record.getLoggerName()).append(' ')
          .append(record.getLevel()).append(' ').append(record.getMessage());
      if (record.getParameters() != null) {
        for (Object p : record.getParameters()) {
          b.append(" | ").append(p);
        }
      }
      for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
        b.append(" | ").append(t);
      }
      julLines.add(b.toString());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  /** @param levels logger name → level to set while capturing (restored on close) */
  public LogCapture(Map<String, Level> levels) {
    appender.setContext(context);
    appender.start();
    levels.forEach((name, level) -> {
      Logger l = context.getLogger(name);
      saved.put(l, l.getLevel());
      l.setLevel(level);
    });
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    java.util.logging.Logger.getLogger("").addHandler(julHandler);
  }

  /** Every captured event as text: logger, level, message with arguments, stack traces. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    // AppenderBase.doAppend synchronizes on the appender; read under the same lock.
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
        if (e.getMDCPropertyMap() != null && !e.getMDCPropertyMap().isEmpty()) {
          b.append(" mdc=").append(e.getMDCPropertyMap());
        }
        out.add(b.toString());
      }
    }
    out.addAll(julLines);
    return out;
  }

  @Override
  public void close() {
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    java.util.logging.Logger.getLogger("").removeHandler(julHandler);
    saved.forEach(Logger::setLevel);
  }
}
