package io.tollgate.processor.truncate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.ConfigException;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.Stability;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TruncateConfigTest {

  /** Binds {@code yaml} as the {@code truncate} section, through the real config loader. */
  static TruncateConfig bind(String yaml) throws ConfigException {
    return ComponentConfigs.bind(ComponentKind.PROCESSOR, "truncate", yaml);
  }

  @Test
  void defaultsRoundTripAndAreValid() throws ConfigException {
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
  void bindsDottedKeysInOrder() throws ConfigException {
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
    assertThat(
            ComponentConfigs.problems(
                ComponentKind.PROCESSOR,
                "truncate",
                String.join(
                    "\n",
                    "max_length: 0",
                    "keys: {gen_ai.x: -5}",
                    "never_truncate: [' ']",
                    "suffix_format: '…'",
                    "json_keys: ['']")))
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
