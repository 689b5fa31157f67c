package io.tollgate.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.config.Components;
import io.tollgate.config.internal.ConfigMappers;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentFactory;
import io.tollgate.core.component.ComponentKind;
import org.junit.jupiter.api.Test;

/**
 * The config loader takes an empty section ({@code batch: {}}) to mean the factory's defaults
 * without binding them through a tree. That is only the same thing if every component's defaults
 * survive the trip through a tree unchanged, which this checks for every bundled component.
 */
class DefaultConfigRoundTripTest {

  @Test
  void everyDefaultConfigSurvivesTheTripThroughATree() throws Exception {
    ObjectMapper binding = ConfigMappers.binding();
    Components components = Components.load();
    int checked = 0;
    for (ComponentKind kind : ComponentKind.values()) {
      for (ComponentFactory<?> factory : components.factories(kind)) {
        ComponentConfig defaults = factory.defaultConfig();
        JsonNode tree = binding.valueToTree(defaults);
        ComponentConfig bound =
            binding
                .readerFor(factory.configClass())
                // As the loader: keys only the defaults have (a getter) are not an error.
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(tree);
        assertThat(bound).as("%s %s", kind.displayName(), factory.type()).isEqualTo(defaults);
        JsonNode again = binding.valueToTree(bound);
        assertThat(again).as("%s", factory.type()).isEqualTo(tree);
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(15);
  }
}
