package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.config.testing.FakeReceiverFactory;
import io.tollgate.config.testing.MemoryExporterFactory;
import io.tollgate.config.testing.NoopExtensionFactory;
import io.tollgate.core.component.ComponentKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentsTest {

  @Test
  void aliasesResolvePerKind() throws Exception {
    TestComponents test = new TestComponents();
    Components components = test.components();
    assertThat(components.find(ComponentKind.EXPORTER, "otlp")).containsSame(test.otlpGrpc);
    assertThat(components.find(ComponentKind.EXPORTER, "otlp_grpc")).containsSame(test.otlpGrpc);
    assertThat(components.find(ComponentKind.EXPORTER, "otlphttp")).containsSame(test.otlpHttp);
    assertThat(components.find(ComponentKind.RECEIVER, "otlp")).containsSame(test.receivers);
    assertThat(components.find(ComponentKind.RECEIVER, "otlp_grpc")).isEmpty();

    CollectorConfig c =
        test.loader(Map.of())
            .loadYaml(
                String.join(
                    "\n",
                    "receivers: {otlp: {}}",
                    "exporters:",
                    "  otlp/tempo: {endpoint: tempo:4317}",
                    "  otlphttp/langfuse: {endpoint: https://cloud.langfuse.com/api/public/otel}",
                    "service:",
                    "  pipelines:",
                    "    traces: {receivers: [otlp], exporters: [otlp/tempo, otlphttp/langfuse]}",
                    ""));
    ConfiguredComponent tempo = c.component(ComponentKind.EXPORTER, "otlp/tempo").orElseThrow();
    assertThat(tempo.factory()).isSameAs(test.otlpGrpc);
    assertThat(tempo.id().toString()).isEqualTo("otlp/tempo");
    assertThat(c.component(ComponentKind.EXPORTER, "otlphttp/langfuse").orElseThrow().factory())
        .isSameAs(test.otlpHttp);
  }

  @Test
  void twoFactoriesCannotClaimOneName() {
    assertThatThrownBy(
            () ->
                Components.of(
                    new MemoryExporterFactory("otlp_grpc", "otlp"),
                    new MemoryExporterFactory("otlp")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two exporter factories claim the name \"otlp\"");
    // The same name in two kinds is fine: otlp is a receiver and an exporter alias.
    assertThat(
            Components.of(new FakeReceiverFactory(), new MemoryExporterFactory("otlp_grpc", "otlp"))
                .names(ComponentKind.EXPORTER))
        .containsExactlyInAnyOrder("otlp", "otlp_grpc");
  }

  @Test
  void serviceLoaderFindsFactoriesOnTheClassPath() {
    Components loaded = Components.load();
    assertThat(loaded.factories(ComponentKind.EXTENSION))
        .singleElement()
        .isInstanceOf(NoopExtensionFactory.class);
  }
}
