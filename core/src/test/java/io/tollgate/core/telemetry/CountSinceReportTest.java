package io.tollgate.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CountSinceReportTest {

  @Test
  void theFirstAddIsReportedAndTheRestWaitForTheInterval() {
    CountSinceReport c = new CountSinceReport(Duration.ofHours(1));
    assertThat(c.add(3)).isEqualTo(3);
    assertThat(c.add(5)).isZero();
    assertThat(c.add(7)).isZero();
  }

  @Test
  void aReportCarriesEverythingCountedSinceTheOneBefore() {
    CountSinceReport c = new CountSinceReport(Duration.ZERO); // every add may report
    assertThat(c.add(2)).isEqualTo(2);
    assertThat(c.add(4)).isEqualTo(4);
  }

  @Test
  void aReportAfterTheIntervalCarriesWhatWasHeldBack() {
    long[] now = {1_000};
    CountSinceReport c = new CountSinceReport(Duration.ofSeconds(10), () -> now[0]);
    assertThat(c.add(3)).isEqualTo(3);
    assertThat(c.add(5)).isZero();
    now[0] += Duration.ofSeconds(9).toNanos();
    assertThat(c.add(7)).isZero();
    now[0] += Duration.ofSeconds(1).toNanos();
    assertThat(c.add(1)).isEqualTo(13); // 5 + 7 held back, and this one
    assertThat(c.add(2)).isZero();
  }

  @Test
  void aNegativeIntervalIsRefused() {
    assertThatThrownBy(() -> new CountSinceReport(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
