package io.tollgate.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.ConfigException;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentConfig;
import io.tollgate.core.component.ComponentKind;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The factories as the config loader sees them: found by ServiceLoader, and their configs bound by
 * the real loader (defaults serialised to a tree, the user's section deep-merged over it, snake
 * case, unknown keys refused, validated).
 */
class FactoriesTest {

  @SuppressWarnings("rawtypes")
  private static Map<String, ExporterFactory> factories() {
    Map<String, ExporterFactory> out = new HashMap<>();
    for (ExporterFactory f : ServiceLoader.load(ExporterFactory.class)) {
      out.put(f.type(), f);
    }
    return out;
  }

  /** Binds {@code yaml} as the section of exporter {@code f}, through the real config loader. */
  private static <C extends ComponentConfig> C bind(ExporterFactory<C> f, String yaml)
      throws ConfigException {
    return ComponentConfigs.bind(ComponentKind.EXPORTER, f.type(), yaml);
  }

  @Test
  @SuppressWarnings({"rawtypes", "unchecked"})
  void everyExporterIsRegisteredWithItsAliases() throws ConfigException {
    Map<String, ExporterFactory> f = factories();
    assertThat(f.keySet())
        .containsExactlyInAnyOrder(
            "otlp_grpc", "otlp_http", "jaeger", "tempo", "langfuse", "anyway", "debug", "file");
    assertThat(f.get("otlp_grpc").aliases()).containsExactly("otlp");
    assertThat(f.get("otlp_http").aliases()).containsExactly("otlphttp");
    // What a user must set (the loader refuses the section without it); the rest has defaults.
    Map<String, String> required =
        Map.of(
            "langfuse", "{public_key: pk-lf-1, secret_key: sk-lf-2}",
            "file", "{path: /tmp/spans.jsonl}",
            "anyway", "{api_key: k}");
    Map<String, String[]> requiredFields =
        Map.of(
            "langfuse", new String[] {"publicKey", "secretKey"},
            "file", new String[] {"path"},
            "anyway", new String[] {"apiKey"});
    for (ExporterFactory factory : f.values()) {
      String type = factory.type();
      assertThat(factory.kind()).isEqualTo(ComponentKind.EXPORTER);
      assertThat(factory.description()).isNotBlank();
      // Defaults survive the loader's round trip unchanged: no stray properties, no nulls.
      if (!required.containsKey(type)) {
        Object bound = bind(factory, "");
        assertThat(bound).as(type).isEqualTo(factory.defaultConfig());
        continue;
      }
      // An empty section is refused with what to set, exactly as the defaults validate ...
      assertThat(ComponentConfigs.problems(ComponentKind.EXPORTER, type, ""))
          .as(type)
          .isNotEmpty()
          .isEqualTo(ComponentConfigs.issues(factory.defaultConfig()));
      // ... and with it set, everything else is the default.
      Object bound = bind(factory, required.get(type));
      assertThat(bound)
          .as(type)
          .usingRecursiveComparison()
          .ignoringFields(requiredFields.get(type))
          .isEqualTo(factory.defaultConfig());
    }
  }

  @Test
  void otlpGrpcBindsTheCollectorsKeys() throws ConfigException {
    @SuppressWarnings("unchecked")
    ExporterFactory<OtlpGrpcConfig> f = factories().get("otlp_grpc");
    String yaml =
        "{\"endpoint\":\"tempo:4317\",\"tls\":{\"insecure\":true},"
            + "\"headers\":{\"x-api-key\":\"s3cr3t\"},\"compression\":\"none\",\"timeout\":\"2s\","
            + "\"sending_queue\":{\"num_consumers\":4,\"queue_size\":50},"
            + "\"retry_on_failure\":{\"initial_interval\":\"1s\",\"max_elapsed_time\":\"0\"}}";
    OtlpGrpcConfig c = bind(f, yaml);
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
    assertThat(ComponentConfigs.issues(c)).isEmpty();
    // print-config shows no secret.
    assertThat(ComponentConfigs.load(ComponentKind.EXPORTER, "otlp_grpc", yaml).toYaml())
        .doesNotContain("s3cr3t")
        .contains("[REDACTED]");
  }

  @Test
  @SuppressWarnings("unchecked")
  void presetsBindTheirOwnWords() throws ConfigException {
    LangfuseConfig lf =
        bind(
            (ExporterFactory<LangfuseConfig>) factories().get("langfuse"),
            "{\"public_key\":\"pk-lf-1\",\"secret_key\":\"sk-lf-2\",\"region\":\"us\","
                + "\"encoding\":\"json\"}");
    assertThat(lf.region()).isEqualTo(LangfuseRegion.US);
    assertThat(lf.encoding()).isEqualTo(OtlpHttpEncoding.JSON);
    assertThat(ComponentConfigs.issues(lf)).isEmpty();

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
    assertThat(
            ComponentConfigs.problems(
                ComponentKind.EXPORTER, "otlp_grpc", "{\"endpont\":\"x:1\"}"))
        .singleElement()
        .asString()
        .startsWith("endpont: unknown key");
  }
}
