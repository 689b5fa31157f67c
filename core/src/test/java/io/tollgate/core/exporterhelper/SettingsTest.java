package io.tollgate.core.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ConfigIssues;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTest {

  private static List<String> issues(io.tollgate.core.component.ComponentConfig c) {
    ConfigIssues issues = new ConfigIssues();
    c.validate(issues);
    List<String> out = new ArrayList<>();
    issues.issues().forEach(i -> out.add(i.toString()));
    return out;
  }

  @Test
  void defaultsAreTheCollectors() {
    RetrySettings r = RetrySettings.defaults();
    assertThat(r.enabled()).isTrue();
    assertThat(r.initialInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(r.maxInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.maxElapsedTime()).isEqualTo(Duration.ofSeconds(300));
    assertThat(r.multiplier()).isEqualTo(1.5);
    assertThat(r.randomizationFactor()).isEqualTo(0.5);
    QueueSettings q = QueueSettings.defaults();
    assertThat(q).isEqualTo(new QueueSettings(true, 10, 1000));
    assertThat(issues(r)).isEmpty();
    assertThat(issues(q)).isEmpty();
    assertThat(issues(TlsSettings.defaults())).isEmpty();
  }

  @Test
  void retryProblemsAreAllReported() {
    RetrySettings bad =
        new RetrySettings(true, Duration.ZERO, Duration.ofSeconds(-1), Duration.ofSeconds(-2), 0.5, 2);
    assertThat(issues(bad))
        .anyMatch(s -> s.startsWith("initial_interval: must be positive"))
        .anyMatch(s -> s.startsWith("max_interval:"))
        .anyMatch(s -> s.startsWith("max_elapsed_time:"))
        .anyMatch(s -> s.startsWith("multiplier:"))
        .anyMatch(s -> s.startsWith("randomization_factor:"));
    assertThat(issues(bad.withEnabled(false))).isEmpty();
  }

  @Test
  void zeroMaxElapsedTimeMeansForever() {
    assertThat(
            issues(
                RetrySettings.defaults()
                    .withIntervals(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ZERO)))
        .isEmpty();
  }

  @Test
  void theDefaultByteBudgetIsAQuarterOfDirectMemory() {
    long quarter = DirectMemory.MAX / 4 / (1024 * 1024) * (1024 * 1024);
    assertThat(QueueSettings.defaults().maxInFlightBytes().bytes())
        .isEqualTo(Math.max(1024 * 1024, quarter))
        .isEqualTo(QueueSettings.defaultMaxInFlightBytes().bytes());
    assertThat(QueueSettings.disabled().maxInFlightBytes())
        .isEqualTo(QueueSettings.defaultMaxInFlightBytes());
  }

  @Test
  void directMemoryIsWhatTheJvmWasGiven() {
    // -XX:MaxDirectMemorySize when set on the command line, else the heap's maximum (the JDK's
    // rule), whichever of the two this test JVM runs with.
    long expected = Runtime.getRuntime().maxMemory();
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-XX:MaxDirectMemorySize=")) {
        String v = arg.substring(arg.indexOf('=') + 1).toLowerCase(java.util.Locale.ROOT);
        long unit =
            switch (v.charAt(v.length() - 1)) {
              case 'k' -> 1024L;
              case 'm' -> 1024L * 1024;
              case 'g' -> 1024L * 1024 * 1024;
              default -> 1L;
            };
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        expected = Long.parseLong(digits) * unit;
      }
    }
    assertThat(DirectMemory.MAX).isEqualTo(expected);
  }

  @Test
  void queueSettingsBindWithTheCollectorsKeys() throws Exception {
    ObjectMapper json =
        new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    QueueSettings q =
        json.readValue(
            "{\"enabled\":true,\"num_consumers\":4,\"queue_size\":50,"
                + "\"max_in_flight_bytes\":\"8MiB\"}",
            QueueSettings.class);
    assertThat(q).isEqualTo(new QueueSettings(true, 4, 50, ByteSize.ofMiB(8)));
    assertThat(json.writeValueAsString(q)).contains("\"max_in_flight_bytes\":\"8MiB\"");
    assertThat(json.readValue(json.writeValueAsString(q), QueueSettings.class)).isEqualTo(q);
    // A key given without a value gets the default, as an absent one does after the merge.
    assertThat(
            json.readValue(
                    "{\"enabled\":true,\"num_consumers\":4,\"queue_size\":50,"
                        + "\"max_in_flight_bytes\":null}",
                    QueueSettings.class)
                .maxInFlightBytes())
        .isEqualTo(QueueSettings.defaultMaxInFlightBytes());
    assertThat(json.readValue("{\"max_in_flight_bytes\":0}", QueueSettings.class).maxInFlightBytes())
        .isEqualTo(ByteSize.ofBytes(0));
  }

  @Test
  void queueProblems() {
    assertThat(issues(new QueueSettings(true, 0, 0)))
        .containsExactly(
            "num_consumers: must be at least 1; got 0",
            "queue_size: must be at least 1 request; got 0 (set enabled: false to send without a"
                + " queue)");
  }

  @Test
  void tlsProblems() {
    assertThat(issues(new TlsSettings(false, "", "client.pem", "", false, "")))
        .containsExactly("key_file: cert_file and key_file go together (mutual TLS): set both or neither");
    assertThat(issues(new TlsSettings(true, "ca.pem", "", "", false, ""))).isEmpty();
  }

  @Test
  void compressionNames() {
    assertThat(Compression.fromConfig("gzip")).isEqualTo(Compression.GZIP);
    assertThat(Compression.fromConfig("none")).isEqualTo(Compression.NONE);
    assertThat(Compression.fromConfig("")).isEqualTo(Compression.NONE);
    assertThat(Compression.GZIP.configName()).isEqualTo("gzip");
    assertThatThrownBy(() -> Compression.fromConfig("zstd"))
        .hasMessageContaining("use gzip or none");
  }

  @Test
  void backoffGrowsByTheMultiplierUpToTheMaximum() {
    // random 0.5 is the middle of the jitter range, so the waits are the bare intervals.
    Backoff b = new Backoff(RetrySettings.defaults(), () -> 0.5);
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      millis.add(b.next().toMillis());
    }
    assertThat(millis).containsExactly(5000L, 7500L, 11250L, 16875L, 25312L, 30000L, 30000L);
  }

  @Test
  void backoffJitterStaysWithinTheRandomizationFactor() {
    Backoff low = new Backoff(RetrySettings.defaults(), () -> 0.0);
    Backoff high = new Backoff(RetrySettings.defaults(), () -> 0.999_999);
    assertThat(low.next()).isEqualTo(Duration.ofMillis(2500));
    assertThat(high.next().toMillis()).isBetween(7499L, 7500L);
    Backoff none = new Backoff(RetrySettings.defaults().withRandomizationFactor(0), () -> 0.9);
    assertThat(none.next()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void memoryQueueIsBoundedAndClosedQueueRefuses() {
    SendingQueue q = SendingQueue.inMemory(2);
    var r = new QueuedRequest(io.tollgate.core.model.EncodedTraces.empty());
    assertThat(q.offer(r)).isTrue();
    assertThat(q.offer(r)).isTrue();
    assertThat(q.offer(r)).isFalse();
    assertThat(q.size()).isEqualTo(2);
    assertThat(q.poll().request()).isSameAs(r);
    assertThat(q.close()).hasSize(1);
    assertThat(q.offer(r)).isFalse();
    assertThat(q.poll()).isNull();
    assertThat(q.persistent()).isFalse();
  }
}
