package io.tollgate.config.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.config.ConfigException;
import io.tollgate.core.component.ComponentKind;
import org.junit.jupiter.api.Test;

class ComponentConfigsTest {

  @Test
  void bindsASectionOverTheDefaultsThroughTheLoader() throws ConfigException {
    NoopExtensionFactory.Config defaults =
        ComponentConfigs.bind(ComponentKind.EXTENSION, "noop", "");
    assertThat(defaults).isEqualTo(new NoopExtensionFactory().defaultConfig());
    NoopExtensionFactory.Config set =
        ComponentConfigs.bind(ComponentKind.EXTENSION, "noop", "endpoint: 0.0.0.0:1");
    assertThat(set.endpoint()).isEqualTo("0.0.0.0:1");
    MemoryExporterFactory.Config flow =
        ComponentConfigs.bind(
            ComponentKind.EXPORTER,
            ComponentConfigs.EXPORTER,
            "{endpoint: \"x:1\", retry_on_failure: {max_interval: 1m}}");
    assertThat(flow.retryOnFailure().maxInterval()).hasMinutes(1);
    assertThat(flow.retryOnFailure().initialInterval()).hasSeconds(5);
  }

  @Test
  void problemsArePathedRelativeToTheSection() {
    assertThat(ComponentConfigs.problems(ComponentKind.EXTENSION, "noop", "endpont: x"))
        .singleElement()
        .asString()
        .startsWith("endpont: unknown key")
        .contains("endpoint");
    assertThat(
            ComponentConfigs.problems(
                ComponentKind.EXPORTER,
                ComponentConfigs.EXPORTER,
                "{endpoint: '', retry_on_failure: {multiplier: 0.5}}"))
        .containsExactlyInAnyOrder(
            "endpoint: must be set: the backend's address, e.g. tempo:4317",
            "retry_on_failure.multiplier: must be at least 1");
    assertThatThrownBy(() -> ComponentConfigs.bind(ComponentKind.PROCESSOR, "nope", ""))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("processors.nope: unknown processor type `nope`");
  }
}
