package io.tollgate.collector.testing;

import io.tollgate.collector.Collector;
import io.tollgate.config.Components;
import io.tollgate.config.ConfigLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/** Starting a real collector from YAML for end-to-end tests, on free loopback ports. */
public final class TestCollectors {

  private TestCollectors() {}

  /** A collector started from {@code yaml} with every bundled component and no environment. */
  public static Collector start(String yaml) throws Exception {
    return Collector.start(
        ConfigLoader.builder().components(Components.load()).env(Map.of()).build().loadYaml(yaml));
  }

  /** A loopback port free right now (another process may take it before the test binds it). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
