package io.tollgate.config.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tollgate.core.component.Durations;
import io.tollgate.core.component.Secret;
import java.io.IOException;
import java.time.Duration;

/**
 * The Jackson mappers of the config module. Component records are bound with SNAKE_CASE names,
 * {@link Duration}s written as the collector writes them ({@code 5s}), and unknown keys refused.
 *
 * <p>Two mappers differ only in how they write a {@link Secret}: the binding mapper writes its
 * value (a secret in a component's defaults must survive the trip through a tree), the printing
 * mapper writes the mask ({@link Secret}'s own {@code @JsonValue}).
 */
public final class ConfigMappers {

  private static final ObjectMapper BINDING = build(true);
  private static final ObjectMapper PRINTING = build(false);

  /** Built on first use: only print-config and components write YAML, a collector's start not. */
  private static final class Yaml {
    static final YAMLMapper MAPPER =
        YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();
  }

  private ConfigMappers() {}

  /** Binds trees to config records and serialises defaults (secrets in clear). */
  public static ObjectMapper binding() {
    return BINDING;
  }

  /** Serialises configs for people: secrets masked. */
  public static ObjectMapper printing() {
    return PRINTING;
  }

  /** Writes trees as YAML. */
  public static YAMLMapper yaml() {
    return Yaml.MAPPER;
  }

  private static ObjectMapper build(boolean revealSecrets) {
    SimpleModule module = new SimpleModule("tollgate-config");
    module.addSerializer(Duration.class, new DurationSerializer());
    module.addDeserializer(Duration.class, new DurationDeserializer());
    if (revealSecrets) {
      module.addSerializer(Secret.class, new RevealingSecretSerializer());
    }
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        // Settings are the record's components (its fields), not every getter-like method: a
        // helper such as isEnabled() must not show up in print-config or in the defaults.
        .visibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
        .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
        .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .addModule(module)
        .build();
  }

  private static final class DurationSerializer extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(Durations.format(value));
    }
  }

  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_STRING) {
        String text = p.getText();
        try {
          return Durations.parse(text);
        } catch (IllegalArgumentException e) {
          return (Duration) ctxt.handleWeirdStringValue(Duration.class, text, e.getMessage());
        }
      }
      if (t == JsonToken.VALUE_NUMBER_INT && p.getLongValue() == 0) {
        return Duration.ZERO;
      }
      return (Duration)
          ctxt.handleUnexpectedToken(
              Duration.class, t, p, "expected a duration like 5s, got %s", p.getText());
    }
  }

  private static final class RevealingSecretSerializer extends JsonSerializer<Secret> {
    @Override
    public void serialize(Secret value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(value.reveal());
    }
  }
}
