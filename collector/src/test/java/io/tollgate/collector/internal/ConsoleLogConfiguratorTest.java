package io.tollgate.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConsoleLogConfiguratorTest {

  @Test
  void logbackFindsItAsAService() {
    List<String> found = new ArrayList<>();
    ServiceLoader.load(Configurator.class).forEach(c -> found.add(c.getClass().getName()));
    assertThat(found).containsExactly(ConsoleLogConfigurator.class.getName());
    // And it is what configured this JVM's logging: one stderr appender on the root.
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Appender<?> appender = root.getAppender("STDERR");
    assertThat(appender).isInstanceOf(ConsoleAppender.class);
    assertThat(((ConsoleAppender<?>) appender).getTarget()).isEqualTo("System.err");
  }

  @Test
  void noLogbackFileOnTheClassPath() {
    // One would win over the configurator, and every start would parse XML again (+0.06-0.08 s
    // of CPU): a stale target/classes/logback.xml, left from before logging was configured in
    // code, did that to the jars of incremental builds for hours.
    ClassLoader loader = ConsoleLogConfiguratorTest.class.getClassLoader();
    for (String file : List.of("logback.xml", "logback-test.xml")) {
      assertThat(loader.getResource(file))
          .as("%s on the class path (stale in target/classes? delete it or build clean)", file)
          .isNull();
    }
  }

  @Test
  void writesWhatTheFormerPatternWrote() {
    LoggerContext context = new LoggerContext();
    PatternLayout pattern = new PatternLayout();
    pattern.setContext(context);
    pattern.setPattern(ConsoleLogConfigurator.PATTERN);
    pattern.start();
    ConsoleLogConfigurator.ConsoleLayout layout = new ConsoleLogConfigurator.ConsoleLayout();
    layout.setContext(context);
    layout.start();

    IllegalStateException withCauseAndSuppressed =
        new IllegalStateException("outer", new UncheckedIOException(new IOException("disk")));
    withCauseAndSuppressed.addSuppressed(new IllegalArgumentException("also"));
    List<LoggingEvent> events =
        List.of(
            event(context, "io.tollgate.core.pipeline.Service", Level.INFO, "ready {}", null),
            event(
                context,
                "io.tollgate.processor.genaicost.GenAiCostProcessorFactory",
                Level.WARN,
                "{}: {} prices",
                null),
            event(context, "x", Level.DEBUG, "short name", null),
            event(context, "io.netty.channel.DefaultChannelPipeline", Level.ERROR, "failed", null),
            event(
                context,
                "io.tollgate.exporter.otlpgrpc.OtlpGrpcExporter",
                Level.ERROR,
                "send failed",
                withCauseAndSuppressed));
    for (LoggingEvent e : events) {
      assertThat(layout.doLayout(e)).isEqualTo(pattern.doLayout(e));
    }
  }

  @Test
  void stepsAsideForTheUsersLogbackFile() {
    String before = System.getProperty("logback.configurationFile");
    System.setProperty("logback.configurationFile", "/nonexistent/logback.xml");
    try {
      LoggerContext context = new LoggerContext();
      ConsoleLogConfigurator configurator = new ConsoleLogConfigurator();
      configurator.setContext(context);
      assertThat(configurator.configure(context))
          .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders())
          .isExhausted();
    } finally {
      if (before == null) {
        System.clearProperty("logback.configurationFile");
      } else {
        System.setProperty("logback.configurationFile", before);
      }
    }
  }

  private static LoggingEvent event(
      LoggerContext context, String logger, Level level, String message, Throwable thrown) {
    LoggingEvent e =
        new LoggingEvent(
            "fqcn", context.getLogger(logger), level, message, thrown, new Object[] {"a", 41});
    e.setThreadName("tollgate-worker-1");
    e.setTimeStamp(1_795_316_956_725L);
    return e;
  }
}
