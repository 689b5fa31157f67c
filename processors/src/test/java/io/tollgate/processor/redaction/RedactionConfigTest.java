package io.tollgate.processor.redaction;

import static io.tollgate.processor.redaction.ConfigIssuesAssert.issues;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.ConfigException;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.Secret;
import io.tollgate.core.component.Stability;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The config record binds through the real config loader (snake_case keys deep-merged over the
 * serialised defaults, unknown keys refused) and validates itself.
 */
class RedactionConfigTest {

  /** Binds {@code yaml} as the {@code redaction} section, through the real config loader. */
  static RedactionConfig bind(String yaml) throws ConfigException {
    return ComponentConfigs.bind(ComponentKind.PROCESSOR, "redaction", yaml);
  }

  /** What the loader reports for the section, with paths relative to it. */
  static List<String> problems(String yaml) {
    return ComponentConfigs.problems(ComponentKind.PROCESSOR, "redaction", yaml);
  }

  @Test
  void defaultsRoundTripAndAreValid() throws ConfigException {
    RedactionConfig defaults = RedactionConfig.defaults();
    assertThat(bind("{}")).isEqualTo(defaults);
    assertThat(issues(defaults)).isEmpty();
    assertThat(defaults.presidio().enabled()).isFalse();
    assertThat(defaults.summary()).isEqualTo(SummaryLevel.INFO);
    assertThat(defaults.presidio().onError()).isEqualTo(OnError.FALLBACK);
  }

  @Test
  void documentedExampleBinds() throws ConfigException {
    String yaml =
        String.join(
            "\n",
            "keys: [user.email]",
            "key_patterns: ['^app\\.prompt\\.']",
            "ignored_keys: [gen_ai.prompt.name]",
            "recognizers:",
            "  disabled: [ip_address, MAC_ADDRESS]",
            "  custom:",
            "    - name: EMPLOYEE_ID",
            "      regex: 'EMP-\\d{6}'",
            "      score: 0.9",
            "    - name: LOYALTY_CARD",
            "      regex: '\\b\\d{12}\\b'",
            "      validator: luhn",
            "allow_list: [support@acme.example]",
            "operators:",
            "  EMAIL_ADDRESS: {type: hash}",
            "  CREDIT_CARD: {type: mask, masking_char: '#', chars_to_mask: 12}",
            "  PERSON: {type: replace, new_value: '<NAME>'}",
            "hash_key: 'k3y-0f-at-least-16-chars'",
            "hash_length: 12",
            "summary: debug",
            "presidio:",
            "  analyzer_endpoint: http://presidio-analyzer:3000",
            "  entities: [PERSON, LOCATION, NRP]",
            "  score_threshold: 0.6",
            "  timeout: 1500ms",
            "  max_concurrency: 8",
            "  on_error: drop_content",
            "  cache: {max_entries: 50000, ttl: 30m}",
            "  circuit_breaker: {failure_threshold: 3}");
    RedactionConfig c = bind(yaml);
    assertThat(issues(c)).isEmpty();
    assertThat(c.keys()).containsExactly("user.email");
    assertThat(c.recognizers().custom()).hasSize(2);
    assertThat(c.recognizers().custom().get(1).validator())
        .isEqualTo(RecognizersConfig.Validator.LUHN);
    assertThat(c.recognizers().custom().get(1).score()).isEqualTo(0.8);
    assertThat(c.operatorFor("EMAIL_ADDRESS").type()).isEqualTo(OperatorConfig.Type.HASH);
    assertThat(c.operatorFor("CREDIT_CARD").maskingChar()).isEqualTo("#");
    assertThat(c.operatorFor("CREDIT_CARD").fromEnd()).isFalse();
    assertThat(c.operatorFor("US_SSN").type()).isEqualTo(OperatorConfig.Type.REPLACE);
    assertThat(c.hashKey().reveal()).isEqualTo("k3y-0f-at-least-16-chars");
    assertThat(c.toString()).doesNotContain("k3y-0f-at-least-16-chars");
    assertThat(c.summary()).isEqualTo(SummaryLevel.DEBUG);
    PresidioConfig p = c.presidio();
    assertThat(p.enabled()).isTrue();
    assertThat(p.analyzeUri().toString()).isEqualTo("http://presidio-analyzer:3000/analyze");
    assertThat(p.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(p.onError()).isEqualTo(OnError.DROP_CONTENT);
    assertThat(p.cache().ttl()).isEqualTo(Duration.ofMinutes(30));
    assertThat(p.circuitBreaker().failureThreshold()).isEqualTo(3);
    assertThat(p.circuitBreaker().openDuration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.language()).isEqualTo("en");
    // Printing the config (tollgate print-config) masks the key.
    assertThat(
            ComponentConfigs.load(ComponentKind.PROCESSOR, "redaction", yaml).toYaml())
        .doesNotContain("k3y-0f")
        .contains("[REDACTED]");
  }

  @Test
  void unknownKeysAndValuesAreRefusedWithTheChoices() {
    assertThat(problems("all_strings: true"))
        .singleElement()
        .asString()
        .startsWith("all_strings: unknown key");
    assertThat(problems("summary: verbose"))
        .containsExactly("summary: expected one of `debug`, `info`, `silent`, got \"verbose\"");
    assertThat(problems("presidio: {on_error: ignore}"))
        .containsExactly(
            "presidio.on_error: expected one of `fallback`, `reject`, `drop_content`,"
                + " got \"ignore\"");
  }

  @Test
  void validationSaysWhatToDo() {
    RedactionConfig hashWithoutKey =
        RedactionConfig.defaults()
            .withOperators(
                Map.of("EMAIL_ADDRESS", OperatorConfig.of(OperatorConfig.Type.HASH)),
                Secret.of(""));
    assertThat(issues(hashWithoutKey))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("hash_key: is required when an operator is hash");
    assertThat(issues(hashWithoutKey.withOperators(hashWithoutKey.operators(), Secret.of("short"))))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("hash_key: must be at least 16 characters");

    RedactionConfig bad =
        RedactionConfig.defaults()
            .withKeys(List.of(), List.of("(unclosed"), false, List.of())
            .withRecognizers(
                new RecognizersConfig(
                    List.of("telepathy"),
                    List.of(
                        new RecognizersConfig.Custom("employee id", "EMP-\\d+", null, 2.0),
                        new RecognizersConfig.Custom("BLANK", "x*", null, null))),
                List.of())
            .withOperators(
                Map.of(
                    "email",
                    OperatorConfig.replace(),
                    "CREDIT_CARD",
                    OperatorConfig.mask("##", -1, false)),
                Secret.of(""))
            .withPresidio(
                new PresidioConfig(
                    "presidio:3000",
                    "english",
                    List.of("person"),
                    1.5,
                    List.of(),
                    Duration.ZERO,
                    0,
                    OnError.FALLBACK,
                    true,
                    2_000_000,
                    null,
                    null));
    assertThat(issues(bad))
        .anyMatch(i -> i.startsWith("key_patterns[0]: is not a valid regular expression"))
        .anyMatch(i -> i.startsWith("recognizers.disabled[0]: unknown recogniser \"telepathy\""))
        .anyMatch(i -> i.startsWith("recognizers.custom[0].name: must be an entity type"))
        .anyMatch(i -> i.startsWith("recognizers.custom[0].score: must be in (0, 1]"))
        .anyMatch(i -> i.startsWith("recognizers.custom[1].regex: matches the empty string"))
        .anyMatch(i -> i.startsWith("operators.email: keys are entity types"))
        .anyMatch(i -> i.startsWith("operators.CREDIT_CARD.masking_char: must be exactly one"))
        .anyMatch(i -> i.startsWith("operators.CREDIT_CARD.chars_to_mask: must be 0"))
        .anyMatch(i -> i.startsWith("presidio.analyzer_endpoint: must be an http(s) URL"))
        .anyMatch(i -> i.startsWith("presidio.language: must be an ISO-639-1 code"))
        .anyMatch(i -> i.startsWith("presidio.entities[0]: must be a Presidio entity type"))
        .anyMatch(i -> i.startsWith("presidio.score_threshold: must be between 0 and 1"))
        .anyMatch(i -> i.startsWith("presidio.timeout: must be positive"))
        .anyMatch(i -> i.startsWith("presidio.max_concurrency: must be between 1 and 256"))
        .anyMatch(i -> i.startsWith("presidio.max_request_chars: must be between 1000 and 999999"));
  }

  @Test
  void factoryIsFoundByServiceLoader() {
    ProcessorFactory<?> factory = null;
    for (ProcessorFactory<?> f : ServiceLoader.load(ProcessorFactory.class)) {
      if (f.type().equals("redaction")) {
        factory = f;
      }
    }
    assertThat(factory).isNotNull();
    assertThat(factory.kind()).isEqualTo(ComponentKind.PROCESSOR);
    assertThat(factory.stability()).isEqualTo(Stability.ALPHA);
    assertThat(factory.configClass()).isEqualTo(RedactionConfig.class);
    assertThat(factory.defaultConfig()).isEqualTo(RedactionConfig.defaults());
  }
}
