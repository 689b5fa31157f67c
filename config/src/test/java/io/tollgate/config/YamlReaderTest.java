package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.config.internal.YamlReader;
import org.junit.jupiter.api.Test;

class YamlReaderTest {

  @Test
  void anchorsAliasesAndMergeKeysWorkAsInTheCollector() throws Exception {
    JsonNode tree =
        YamlReader.read(
            String.join(
                "\n",
                "retry: &retry",
                "  enabled: true",
                "  max_interval: 30s",
                "a:",
                "  retry_on_failure: *retry",
                "b:",
                "  <<: *retry",
                "  max_interval: 10s",
                ""));
    assertThat(tree.at("/a/retry_on_failure/max_interval").asText()).isEqualTo("30s");
    assertThat(tree.at("/b/max_interval").asText()).isEqualTo("10s");
    assertThat(tree.at("/b/enabled").asBoolean()).isTrue();
  }

  @Test
  void scalarsFollowYaml12AsGoYamlDoes() throws Exception {
    JsonNode tree =
        YamlReader.read("a: on\nb: yes\nc: 0x10\nd: 1.5\ne: ~\nf: '42'\ng: 5s\nh: 0755\n");
    assertThat(tree.get("a").isTextual()).isTrue();
    assertThat(tree.get("b").asText()).isEqualTo("yes");
    assertThat(tree.get("c").asInt()).isEqualTo(16);
    assertThat(tree.get("d").asDouble()).isEqualTo(1.5);
    assertThat(tree.get("e").isNull()).isTrue();
    assertThat(tree.get("f").isTextual()).isTrue();
    assertThat(tree.get("g").asText()).isEqualTo("5s");
    assertThat(tree.get("h").asInt()).isEqualTo(755);
    assertThat(YamlReader.read("# nothing\n").isNull()).isTrue();
  }
}
