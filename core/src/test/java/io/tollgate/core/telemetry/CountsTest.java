package io.tollgate.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountsTest {

  @Test
  void oneIsSingularEverythingElsePlural() {
    assertThat(Counts.of(1, "span")).isEqualTo("1 span");
    assertThat(Counts.of(0, "span")).isEqualTo("0 spans");
    assertThat(Counts.of(2, "span")).isEqualTo("2 spans");
    assertThat(Counts.of(-1, "span")).isEqualTo("-1 spans");
    assertThat(Counts.of(1, "batch", "batches")).isEqualTo("1 batch");
    assertThat(Counts.of(12, "batch", "batches")).isEqualTo("12 batches");
  }
}
