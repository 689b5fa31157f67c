package io.tollgate.collector;

import io.tollgate.config.CollectorConfig;
import io.tollgate.config.Components;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.internal.EnvExpander;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * A training run for a class-data sharing (CDS) archive: starts a collector the way {@code
 * tollgate} does, waits until every pipeline runs, stops it and exits. Run it once per build, with
 * the JDK and options of the real runs:
 *
 * <pre>{@code
 * java -XX:ArchiveClassesAtExit=tollgate.jsa -cp tollgate.jar io.tollgate.collector.CdsTraining
 * java -XX:SharedArchiveFile=tollgate.jsa -jar tollgate.jar --config …
 * }</pre>
 *
 * <p>The archive holds the classes the start loaded, already parsed and verified, so the next
 * starts skip most of that work (the larger part of a sidecar's start-up CPU). The {@code
 * tollgate} launcher does this by itself.
 *
 * <p>The configuration is the embedded default (every GenAI processor, the debug exporter, health
 * and metrics endpoints) plus the OTLP exporters in a second pipeline, every listener on a free
 * loopback port. No span is sent, so stopping is immediate.
 */
public final class CdsTraining {

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    run();
    // The archive is written as the JVM exits.
    System.exit(ExitCodes.OK);
  }

  /** Starts the training collector, checks that it is ready, and stops it. */
  static void run() throws Exception {
    List<String> sets =
        List.of(
            "receivers.otlp.protocols.grpc.endpoint=127.0.0.1:" + freePort(),
            "receivers.otlp.protocols.http.endpoint=127.0.0.1:" + freePort(),
            "extensions.health_check.endpoint=127.0.0.1:" + freePort(),
            "service.telemetry.metrics.address=127.0.0.1:" + freePort(),
            "exporters.otlp_grpc/training={endpoint: '127.0.0.1:" + freePort() + "', tls:"
                + " {insecure: true}}",
            "exporters.otlp_http/training={endpoint: 'http://127.0.0.1:" + freePort() + "'}",
            "service.pipelines.traces/training={receivers: [otlp], processors: [batch],"
                + " exporters: [otlp_grpc/training, otlp_http/training]}");
    CollectorConfig config =
        ConfigLoader.builder()
            .components(Components.load())
            .env(EnvExpander.systemEnv())
            .build()
            .load(List.of(TollgateCommand.DEFAULT_CONFIG), sets);
    Collector collector = Collector.start(config);
    if (!collector.service().isReady()) {
      throw new IllegalStateException("the training collector started but is not ready");
    }
    collector.shutdown();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
