package io.tollgate.collector;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class CdsTrainingTest {

  /** The launcher falls back to no archive when training fails; this says when it would. */
  @Test
  void startsAndStopsTheTrainingCollector() {
    assertThatCode(CdsTraining::run).doesNotThrowAnyException();
  }
}
