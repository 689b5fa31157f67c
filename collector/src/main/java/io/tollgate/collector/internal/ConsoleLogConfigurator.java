package io.tollgate.collector.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;

/**
 * Tollgate's logging set-up, in code: every event to stderr (stdout belongs to the debug exporter
 * and the CLI's output), root level INFO until {@code service.telemetry.logs.level} is applied.
 *
 * <p>Why not a {@code logback.xml}: reading one costs Joran, an XML parser and a pattern parser
 * (about 450 classes and 150–250 ms of a sidecar's start, more than any other single step before
 * the config is read). Logback finds this class through {@code ServiceLoader} before it looks for
 * a file.
 *
 * <p>A user's configuration still wins: with {@code -Dlogback.configurationFile=…}, or a {@code
 * logback.xml} / {@code logback-test.xml} on the class path, this configurator steps aside and
 * logback reads that file as usual.
 */
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {

  /** The layout, as a logback pattern, for people who configure logback themselves. */
  public static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

  public ConsoleLogConfigurator() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (userConfigurationPresent()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    // As <statusListener class="NopStatusListener"/> did: logback's own chatter stays quiet.
    context.getStatusManager().add(new NopStatusListener());
    ConsoleLayout layout = new ConsoleLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("STDERR");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static boolean userConfigurationPresent() {
    if (System.getProperty("logback.configurationFile") != null) {
      return true;
    }
    ClassLoader cl = ConsoleLogConfigurator.class.getClassLoader();
    return cl.getResource("logback-test.xml") != null || cl.getResource("logback.xml") != null;
  }

  /**
   * {@link #PATTERN} written out by hand: the same text as logback's {@code PatternLayout} with
   * that pattern (a test compares them), without its parser and converter registry.
   */
  static final class ConsoleLayout extends LayoutBase<ILoggingEvent> {

    private final DateTimeFormatter timestamp =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneId.systemDefault());
    private final TargetLengthBasedClassNameAbbreviator loggerName =
        new TargetLengthBasedClassNameAbbreviator(36);

    @Override
    public String doLayout(ILoggingEvent event) {
      StringBuilder sb = new StringBuilder(128);
      timestamp.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), sb);
      sb.append(' ');
      String level = event.getLevel().toString();
      sb.append(level);
      for (int i = level.length(); i < 5; i++) {
        sb.append(' ');
      }
      sb.append(" [")
          .append(event.getThreadName())
          .append("] ")
          .append(loggerName.abbreviate(event.getLoggerName()))
          .append(" - ")
          .append(event.getFormattedMessage())
          .append(CoreConstants.LINE_SEPARATOR);
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        sb.append(ThrowableProxyUtil.asString(thrown));
      }
      return sb.toString();
    }
  }
}
