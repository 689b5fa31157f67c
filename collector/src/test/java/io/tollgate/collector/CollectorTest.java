package io.tollgate.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.collector.testing.TestComponents;
import io.tollgate.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectorTest {

  @Test
  void aShutdownBeforeTheStartMeansNothingStarts() throws Exception {
    TestComponents test = new TestComponents();
    Collector collector =
        Collector.create(
            ConfigLoader.builder()
                .components(test.components())
                .env(Map.of())
                .build()
                .loadYaml(
                    String.join(
                        "\n",
                        "receivers: {otlp: {}}",
                        "exporters: {debug: {}}",
                        "service:",
                        "  pipelines: {traces: {receivers: [otlp], exporters: [debug]}}",
                        "  telemetry: {metrics: {level: none}}")));
    collector.shutdown();
    collector.begin();
    assertThat(collector.service().isReady()).isFalse();
    collector.awaitShutdown(); // returns: shutdown has finished
  }
}
