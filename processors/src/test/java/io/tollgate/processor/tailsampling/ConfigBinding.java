package io.tollgate.processor.tailsampling;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Binds a component's YAML section the way the config module does (Jackson tree, SNAKE_CASE,
 * unknown keys rejected, deep-merged over the default config), so that tests prove our records load
 * from real YAML without depending on that module.
 */
public final class ConfigBinding {

  private static final ObjectMapper MAPPER = mapper(new ObjectMapper());
  private static final ObjectMapper YAML = mapper(new ObjectMapper(new YAMLFactory()));

  private ConfigBinding() {}

  private static ObjectMapper mapper(ObjectMapper m) {
    SimpleModule durations = new SimpleModule();
    durations.addDeserializer(
        Duration.class,
        new JsonDeserializer<>() {
          @Override
          public Duration deserialize(JsonParser p, DeserializationContext c) throws IOException {
            return Durations.parse(p.getValueAsString());
          }
        });
    durations.addSerializer(
        Duration.class,
        new JsonSerializer<>() {
          @Override
          public void serialize(Duration d, JsonGenerator g, SerializerProvider s)
              throws IOException {
            g.writeString(Durations.format(d));
          }
        });
    return m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
        .registerModule(durations);
  }

  /** Binds {@code yaml} (the component's section) over {@code defaults}. */
  public static <C> C bind(String yaml, C defaults, Class<C> type) {
    try {
      JsonNode base = MAPPER.valueToTree(defaults);
      JsonNode user = YAML.readTree(yaml);
      if (user != null && !user.isMissingNode() && !user.isNull()) {
        merge((ObjectNode) base, (ObjectNode) user);
      }
      return MAPPER.treeToValue(base, type);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The issues {@code config.validate} reports, as "path: message" strings. */
  public static List<String> issues(ComponentConfig config) {
    ConfigIssues issues = new ConfigIssues();
    config.validate(issues);
    return issues.issues().stream().map(ConfigIssues.Issue::toString).toList();
  }

  private static void merge(ObjectNode base, ObjectNode user) {
    for (Map.Entry<String, JsonNode> e : user.properties()) {
      JsonNode existing = base.get(e.getKey());
      if (existing instanceof ObjectNode && e.getValue() instanceof ObjectNode) {
        merge((ObjectNode) existing, (ObjectNode) e.getValue());
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
  }
}
