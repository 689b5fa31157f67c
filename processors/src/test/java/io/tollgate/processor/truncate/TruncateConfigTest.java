package io.tollgate.processor.truncate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.Stability;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TruncateConfigTest {

  private static final ObjectMapper MAPPER =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Binds as the config module does: the user's section deep-merged over the defaults. */
  static TruncateConfig bind(String yaml) throws IOException {
    ObjectNode tree = MAPPER.valueToTree(new TruncateProcessorFactory().defaultConfig());
    merge(tree, MAPPER.readTree(yaml));
    return MAPPER.treeToValue(tree, TruncateConfig.class);
  }

  private static void merge(ObjectNode into, JsonNode from) {
    for (Map.Entry<String, JsonNode> e : from.properties()) {
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue().isObject()) {
        merge(o, e.getValue());
      } else {
        into.set(e.getKey(), e.getValue());
      }
    }
  }

  @Test
  void defaultsRoundTripAndAreValid() throws IOException {
    TruncateConfig config = bind("{}");
    assertThat(config).isEqualTo(TruncateConfig.defaults());
    ConfigIssues issues = new ConfigIssues();
    config.validate(issues);
    assertThat(issues.issues()).isEmpty();
    assertThat(config.maxLength()).isEqualTo(4096);
    assertThat(config.suffixFormat()).isEqualTo("…[truncated {n} chars]");
    assertThat(config.neverTruncate()).contains("gen_ai.response.id", "user.id");
  }

  @Test
  void bindsDottedKeysInOrder() throws IOException {
    TruncateConfig config =
        bind(
            String.join(
                "\n",
                "max_length: 2048",
                "keys:",
                "  gen_ai.input.messages: 16384",
                "  gen_ai.*.messages: 8192",
                "never_truncate: [gen_ai.response.id, my.trace.*]"));
    assertThat(config.maxLength()).isEqualTo(2048);
    assertThat(config.keys()).containsExactly(
        Map.entry("gen_ai.input.messages", 16384), Map.entry("gen_ai.*.messages", 8192));
    assertThat(config.neverTruncate()).containsExactly("gen_ai.response.id", "my.trace.*");
    KeyRules rules = new KeyRules(config);
    assertThat(rules.ruleFor("gen_ai.input.messages").limit()).isEqualTo(16384);
    assertThat(rules.ruleFor("gen_ai.output.messages").limit()).isEqualTo(8192);
    assertThat(rules.ruleFor("gen_ai.output.messages").json()).isTrue();
    assertThat(rules.ruleFor("my.trace.thing").never()).isTrue();
    assertThat(rules.ruleFor("other").limit()).isEqualTo(2048);
    assertThat(rules.smallestLimit()).isEqualTo(2048);
  }

  @Test
  void reportsBadValuesWithTheirKeys() {
    TruncateConfig config =
        new TruncateConfig(0, Map.of("gen_ai.x", -5), List.of(" "), "…", List.of(""));
    ConfigIssues issues = new ConfigIssues();
    config.validate(issues);
    assertThat(issues.issues())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder(
            "max_length: must be at least 1; got 0",
            "keys.gen_ai.x: must be at least 1; got -5",
            "never_truncate[0]: empty; remove it or name an attribute key",
            "json_keys[0]: empty; remove it or name an attribute key");
  }

  @Test
  void bothFactoriesAreFoundByServiceLoader() {
    @SuppressWarnings("rawtypes")
    List<ProcessorFactory> found =
        ServiceLoader.load(ProcessorFactory.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    assertThat(found)
        .filteredOn(f -> f.type().equals("truncate") || f.type().equals("genai_cost"))
        .hasSize(2)
        .allSatisfy(f -> assertThat(f.stability()).isEqualTo(Stability.ALPHA));
  }
}
