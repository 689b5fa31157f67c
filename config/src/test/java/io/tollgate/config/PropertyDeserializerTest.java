package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.Durations;
import io.tollgate.core.component.Extension;
import io.tollgate.core.component.ExtensionFactory;
import io.tollgate.core.component.Stability;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A property with its own deserializer takes what that deserializer takes: the collector's CORS
 * {@code max_age} is a number of seconds, so a component binds it to a Duration that also reads
 * {@code 7200}, which the loader's duration check alone would refuse.
 */
class PropertyDeserializerTest {

  /** Seconds as a number, or a duration. */
  static final class SecondsOrDuration extends StdDeserializer<Duration> {
    SecondsOrDuration() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken().isNumeric()) {
        return Duration.ofSeconds(p.getLongValue());
      }
      try {
        return Durations.parse(p.getValueAsString());
      } catch (IllegalArgumentException e) {
        return (Duration) ctxt.handleWeirdStringValue(Duration.class, p.getText(), e.getMessage());
      }
    }
  }

  record Config(@JsonDeserialize(using = SecondsOrDuration.class) Duration maxAge, Duration timeout)
      implements ComponentConfig {}

  static final class Factory implements ExtensionFactory<Config> {
    @Override
    public String type() {
      return "cors_like";
    }

    @Override
    public Stability stability() {
      return Stability.DEVELOPMENT;
    }

    @Override
    public Class<Config> configClass() {
      return Config.class;
    }

    @Override
    public Config defaultConfig() {
      return new Config(Duration.ZERO, Duration.ofSeconds(5));
    }

    @Override
    public Extension create(Config config, ComponentContext context) {
      return new Extension() {};
    }
  }

  private static CollectorConfig load(String settings) throws ConfigException {
    TestComponents tc = new TestComponents();
    ConfigLoader loader =
        ConfigLoader.builder()
            .components(Components.of(tc.receivers, tc.debug, new Factory()))
            .env(Map.of())
            .build();
    return loader.loadYaml(
        "extensions: {cors_like: "
            + settings
            + "}\n"
            + "receivers: {otlp: {}}\n"
            + "exporters: {debug: {endpoint: 'x:1'}}\n"
            + "service:\n"
            + "  extensions: [cors_like]\n"
            + "  pipelines: {traces: {receivers: [otlp], exporters: [debug]}}\n");
  }

  private static Config config(String settings) throws ConfigException {
    return (Config)
        load(settings).component(ComponentKind.EXTENSION, "cors_like").orElseThrow().config();
  }

  @Test
  void thePropertysOwnDeserializerDecides() throws ConfigException {
    assertThat(config("{max_age: 7200}").maxAge()).isEqualTo(Duration.ofHours(2));
    assertThat(config("{max_age: 10m}").maxAge()).isEqualTo(Duration.ofMinutes(10));
    assertThatThrownBy(() -> load("{max_age: soon}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("extensions.cors_like.max_age: invalid value");
  }

  @Test
  void otherDurationsAreStillCheckedByTheLoader() {
    assertThatThrownBy(() -> load("{timeout: 7200}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "extensions.cors_like.timeout: expected a duration like 5s, got 7200; add a unit");
  }
}
