package io.tollgate.benchmarks.processors;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Durations;
import io.tollgate.core.component.Processor;
import io.tollgate.core.component.ProcessorFactory;
import io.tollgate.core.component.TracesConsumer;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds processors by type name through {@link ServiceLoader}, as the collector does, so that the
 * benchmarks compile against the SPI alone and measure whatever processors are on the class path.
 * Configs are the factory's {@code defaultConfig()} with a few keys overridden, merged the way the
 * config loader merges a YAML section (snake_case keys, durations as "1s").
 */
public final class Components {

  private static final ObjectMapper MAPPER = mapper();

  private Components() {}

  /** The factory registered for {@code type} (or an alias of it), if any. */
  @SuppressWarnings("rawtypes")
  public static Optional<ProcessorFactory> processorFactory(String type) {
    for (ProcessorFactory f : ServiceLoader.load(ProcessorFactory.class)) {
      if (f.type().equals(type) || f.aliases().contains(type)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /**
   * Creates and starts a processor of {@code type} with its default config overridden by {@code
   * overrides} (a YAML-shaped map).
   *
   * @throws IllegalStateException when no factory has that type, or the config is invalid
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static Processor startProcessor(
      String type, Map<String, Object> overrides, TracesConsumer next) throws Exception {
    ProcessorFactory factory =
        processorFactory(type)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no processor of type \""
                            + type
                            + "\" on the class path (not merged yet?)"));
    ComponentConfig config =
        withOverrides(factory.defaultConfig(), factory.configClass(), overrides);
    ConfigIssues issues = new ConfigIssues();
    config.validate(issues);
    if (!issues.isEmpty()) {
      throw new IllegalStateException(type + " config is invalid: " + issues.issues());
    }
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of(type))
            .pipeline("traces/bench")
            .build();
    Processor p = factory.create(config, ctx, next);
    p.start();
    return p;
  }

  static <C> C withOverrides(C defaults, Class<C> type, Map<String, Object> overrides)
      throws IOException {
    if (overrides.isEmpty()) {
      return defaults;
    }
    JsonNode base = MAPPER.valueToTree(defaults);
    JsonNode patch = MAPPER.valueToTree(overrides);
    merge((ObjectNode) base, patch);
    return MAPPER.treeToValue(base, type);
  }

  private static void merge(ObjectNode base, JsonNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = base.get(e.getKey());
      if (existing instanceof ObjectNode && e.getValue().isObject()) {
        merge((ObjectNode) existing, e.getValue());
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
  }

  private static ObjectMapper mapper() {
    SimpleModule durations = new SimpleModule("durations");
    durations.addSerializer(
        Duration.class,
        new StdSerializer<>(Duration.class) {
          @Override
          public void serialize(Duration d, JsonGenerator g, SerializerProvider p)
              throws IOException {
            g.writeString(Durations.format(d));
          }
        });
    durations.addDeserializer(
        Duration.class,
        new StdDeserializer<>(Duration.class) {
          @Override
          public Duration deserialize(JsonParser p, DeserializationContext c) throws IOException {
            return Durations.parse(p.getValueAsString());
          }
        });
    return new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .registerModule(durations)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  }
}
