package io.tollgate.exporter;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.ConfigIssues;
import io.tollgate.core.component.Durations;
import io.tollgate.core.component.ExporterFactory;
import io.tollgate.core.component.Secret;
import io.tollgate.core.exporterhelper.Compression;
import io.tollgate.exporter.debug.DebugConfig;
import io.tollgate.exporter.file.FileConfig;
import io.tollgate.exporter.internal.OtlpProtocol;
import io.tollgate.exporter.langfuse.LangfuseConfig;
import io.tollgate.exporter.langfuse.LangfuseRegion;
import io.tollgate.exporter.otlpgrpc.OtlpGrpcConfig;
import io.tollgate.exporter.otlphttp.OtlpHttpConfig;
import io.tollgate.exporter.otlphttp.OtlpHttpEncoding;
import io.tollgate.exporter.tempo.TempoConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The factories as the config loader sees them: found by ServiceLoader, and their configs bound
 * the loader's way (defaults serialised to a tree, the user's section deep-merged over it, snake
 * case, unknown keys refused).
 */
class FactoriesTest {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .registerModule(
              new SimpleModule()
                  .addSerializer(
                      Duration.class,
                      new JsonSerializer<>() {
                        @Override
                        public void serialize(Duration d, JsonGenerator g, SerializerProvider p)
                            throws IOException {
                          g.writeString(Durations.format(d));
                        }
                      })
                  .addDeserializer(
                      Duration.class,
                      new JsonDeserializer<>() {
                        @Override
                        public Duration deserialize(JsonParser p, DeserializationContext c)
                            throws IOException {
                          return Durations.parse(p.getValueAsString());
                        }
                      }));

  @SuppressWarnings("rawtypes")
  private static Map<String, ExporterFactory> factories() {
    Map<String, ExporterFactory> out = new HashMap<>();
    for (ExporterFactory f : ServiceLoader.load(ExporterFactory.class)) {
      out.put(f.type(), f);
    }
    return out;
  }

  /** Binds {@code userJson} over the factory's defaults, as the config module does. */
  private static <C extends ComponentConfig> C bind(ExporterFactory<C> f, String userJson)
      throws IOException {
    ObjectNode tree = MAPPER.valueToTree(f.defaultConfig());
    merge(tree, (ObjectNode) MAPPER.readTree(userJson));
    return MAPPER.treeToValue(tree, f.configClass());
  }

  private static void merge(ObjectNode base, ObjectNode over) {
    Iterator<Map.Entry<String, JsonNode>> it = over.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = base.get(e.getKey());
      if (existing instanceof ObjectNode && e.getValue() instanceof ObjectNode) {
        merge((ObjectNode) existing, (ObjectNode) e.getValue());
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
  }

  private static List<String> issues(ComponentConfig c) {
    ConfigIssues issues = new ConfigIssues();
    c.validate(issues);
    return issues.issues().stream().map(Object::toString).collect(Collectors.toList());
  }

  @Test
  @SuppressWarnings({"rawtypes", "unchecked"})
  void everyExporterIsRegisteredWithItsAliases() throws IOException {
    Map<String, ExporterFactory> f = factories();
    assertThat(f.keySet())
        .containsExactlyInAnyOrder(
            "otlp_grpc", "otlp_http", "jaeger", "tempo", "langfuse", "anyway", "debug", "file");
    assertThat(f.get("otlp_grpc").aliases()).containsExactly("otlp");
    assertThat(f.get("otlp_http").aliases()).containsExactly("otlphttp");
    for (ExporterFactory factory : f.values()) {
      assertThat(factory.kind()).isEqualTo(ComponentKind.EXPORTER);
      assertThat(factory.description()).isNotBlank();
      // Defaults survive the loader's round trip unchanged: no stray properties, no nulls.
      Object bound = bind(factory, "{}");
      assertThat(bound).as(factory.type()).isEqualTo(factory.defaultConfig());
    }
  }

  @Test
  void otlpGrpcBindsTheCollectorsKeys() throws IOException {
    @SuppressWarnings("unchecked")
    ExporterFactory<OtlpGrpcConfig> f = factories().get("otlp_grpc");
    OtlpGrpcConfig c =
        bind(
            f,
            "{\"endpoint\":\"tempo:4317\",\"tls\":{\"insecure\":true},"
                + "\"headers\":{\"x-api-key\":\"s3cr3t\"},\"compression\":\"none\",\"timeout\":\"2s\","
                + "\"sending_queue\":{\"num_consumers\":4,\"queue_size\":50},"
                + "\"retry_on_failure\":{\"initial_interval\":\"1s\",\"max_elapsed_time\":\"0\"}}");
    assertThat(c.endpoint()).isEqualTo("tempo:4317");
    assertThat(c.tls().insecure()).isTrue();
    assertThat(c.headers()).containsEntry("x-api-key", Secret.of("s3cr3t"));
    assertThat(c.compression()).isEqualTo(Compression.NONE);
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.sendingQueue().numConsumers()).isEqualTo(4);
    assertThat(c.sendingQueue().queueSize()).isEqualTo(50);
    assertThat(c.sendingQueue().enabled()).isTrue();
    assertThat(c.retryOnFailure().initialInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.retryOnFailure().maxElapsedTime()).isZero();
    assertThat(c.retryOnFailure().maxInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(issues(c)).isEmpty();
    // print-config shows no secret.
    assertThat(MAPPER.writeValueAsString(c)).doesNotContain("s3cr3t").contains("[REDACTED]");
  }

  @Test
  @SuppressWarnings("unchecked")
  void presetsBindTheirOwnWords() throws IOException {
    LangfuseConfig lf =
        bind(
            (ExporterFactory<LangfuseConfig>) factories().get("langfuse"),
            "{\"public_key\":\"pk-lf-1\",\"secret_key\":\"sk-lf-2\",\"region\":\"us\","
                + "\"encoding\":\"json\"}");
    assertThat(lf.region()).isEqualTo(LangfuseRegion.US);
    assertThat(lf.encoding()).isEqualTo(OtlpHttpEncoding.JSON);
    assertThat(issues(lf)).isEmpty();

    TempoConfig tempo =
        bind(
            (ExporterFactory<TempoConfig>) factories().get("tempo"),
            "{\"endpoint\":\"tempo-distributor:4317\",\"tenant\":\"acme\",\"protocol\":\"grpc\"}");
    assertThat(tempo.tenant()).isEqualTo("acme");
    assertThat(tempo.protocol()).isEqualTo(OtlpProtocol.GRPC);

    OtlpHttpConfig http =
        bind(
            (ExporterFactory<OtlpHttpConfig>) factories().get("otlp_http"),
            "{\"traces_endpoint\":\"https://x.example.com/v1/traces\",\"encoding\":\"proto\"}");
    assertThat(http.tracesUri().getHost()).isEqualTo("x.example.com");

    DebugConfig debug =
        bind((ExporterFactory<DebugConfig>) factories().get("debug"), "{\"verbosity\":\"detailed\"}");
    assertThat(debug.verbosity()).isEqualTo(DebugConfig.Verbosity.DETAILED);

    FileConfig file =
        bind(
            (ExporterFactory<FileConfig>) factories().get("file"),
            "{\"path\":\"/tmp/x.jsonl\",\"rotation\":{\"max_megabytes\":10},\"flush_interval\":\"200ms\"}");
    assertThat(file.rotation()).isEqualTo(new FileConfig.Rotation(10, 100));
    assertThat(file.flushInterval()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  @SuppressWarnings("unchecked")
  void unknownKeysAreRefused() {
    ExporterFactory<OtlpGrpcConfig> f = factories().get("otlp_grpc");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> bind(f, "{\"endpont\":\"x:1\"}"))
        .hasMessageContaining("endpont");
  }
}
