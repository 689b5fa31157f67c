package io.tollgate.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.Durations;
import io.tollgate.core.component.Secret;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsAndSizesTest {

  @Test
  void durationsUseTheCollectorsSpelling() {
    assertThat(Durations.parse("200ms")).isEqualTo(Duration.ofMillis(200));
    assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(Durations.format(Duration.ofMillis(200))).isEqualTo("200ms");
    assertThatThrownBy(() -> Durations.parse("5 seconds")).hasMessageContaining("200ms, 5s");
  }

  @Test
  void sizesAcceptUnits() {
    assertThat(ByteSize.parse("64MiB").bytes()).isEqualTo(64L << 20);
    assertThat(ByteSize.parse("1024").bytes()).isEqualTo(1024);
    assertThat(ByteSize.parse("10MB").bytes()).isEqualTo(10_000_000);
    assertThat(ByteSize.ofMiB(64).toString()).isEqualTo("64MiB");
    assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessageContaining("64MiB");
  }

  @Test
  void idsFollowTheCollectorsRules() {
    assertThat(ComponentId.parse("otlp/tempo")).isEqualTo(new ComponentId("otlp", "tempo"));
    assertThat(ComponentId.parse("batch").toString()).isEqualTo("batch");
    assertThatThrownBy(() -> ComponentId.parse("9otlp")).hasMessageContaining("starts with a letter");
    assertThatThrownBy(() -> ComponentId.parse("otlp/")).hasMessageContaining("empty name");
  }

  @Test
  void secretsNeverPrint() {
    Secret s = Secret.of("sk-live-123");
    assertThat(s.toString()).doesNotContain("sk-live");
    assertThat("" + s).isEqualTo(Secret.MASK);
    assertThat(s.reveal()).isEqualTo("sk-live-123");
  }
}
