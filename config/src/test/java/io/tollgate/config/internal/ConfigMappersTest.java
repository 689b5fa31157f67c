package io.tollgate.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.core.component.Secret;
import org.junit.jupiter.api.Test;

class ConfigMappersTest {

  record Settings(String endpoint, Secret apiKey, Secret empty) {}

  private static final Settings SETTINGS =
      new Settings("tempo:4317", Secret.of("sk-live-123"), Secret.of(""));

  @Test
  void bindingWritesSecretsPrintingMasksThemWithTheSameSerializers() {
    // Printing first, binding second, printing again: whichever mapper builds the record's
    // serializer, each call writes secrets its own way.
    JsonNode printed = ConfigMappers.printing().valueToTree(SETTINGS);
    JsonNode bound = ConfigMappers.binding().valueToTree(SETTINGS);
    JsonNode printedAgain = ConfigMappers.printing().valueToTree(SETTINGS);

    assertThat(printed.get("api_key").textValue()).isEqualTo(Secret.MASK);
    assertThat(printed.get("empty").textValue()).isEmpty();
    assertThat(printed.get("endpoint").textValue()).isEqualTo("tempo:4317");
    assertThat(bound.get("api_key").textValue()).isEqualTo("sk-live-123");
    assertThat(bound.get("empty").textValue()).isEmpty();
    assertThat(printedAgain).isEqualTo(printed);
  }

  @Test
  void theYamlWriterMasksThroughThePrintingTree() throws Exception {
    String yaml =
        ConfigMappers.yaml().writeValueAsString(ConfigMappers.printing().valueToTree(SETTINGS));
    assertThat(yaml).contains("api_key: \"" + Secret.MASK + "\"").doesNotContain("sk-live");
  }
}
