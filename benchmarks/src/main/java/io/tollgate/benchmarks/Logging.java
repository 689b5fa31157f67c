package io.tollgate.benchmarks;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logback without a config file logs everything at DEBUG, including Netty's hex dumps of every
 * frame: that would measure the logger. The load tool and the benchmarks call this first.
 */
public final class Logging {

  private Logging() {}

  public static void quiet() {
    Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger) {
      ((ch.qos.logback.classic.Logger) root).setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }
}
