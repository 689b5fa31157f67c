package io.tollgate.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The load loop end to end against the sink alone: what is acknowledged is what arrives. */
class DriverAndSinkTest {

  @Test
  void flatOutAndFixedRateDeliverEveryAcknowledgedSpanToTheSink() throws Exception {
    io.tollgate.benchmarks.Logging.quiet();
    RequestPool pool = new RequestPool(9, 4, 10);
    try (OtlpSink sink = new OtlpSink("test", 0);
        GrpcSender sender = new GrpcSender("127.0.0.1:" + sink.port(), 2)) {
      Driver.Totals totals = new Driver.Totals();
      Driver driver = new Driver(List.of(sender), pool, totals);
      try {
        // Connect and load classes first: only acks inside the window count.
        assertThat(sender.send(pool.next().body()).get(30, TimeUnit.SECONDS).outcome())
            .isEqualTo(OtlpSender.Outcome.OK);
        totals.acceptedSpans.add(10);
        Driver.Result flat = driver.flatOut(2, 0, TimeUnit.MILLISECONDS.toNanos(1000));
        Driver.Result paced = driver.fixedRate(50, 8, 0, TimeUnit.MILLISECONDS.toNanos(1000));

        assertThat(flat.spans()).isPositive().isEqualTo(flat.requests() * 10);
        assertThat(flat.latencyMicros().getTotalCount()).isEqualTo(flat.requests());
        assertThat(flat.failedRequests()).isZero();
        // 50 requests/s for 1 s: at most 50 sends (acknowledged, or skipped while 8 were busy),
        // fewer acknowledged in the window on a busy machine, but not none.
        assertThat(paced.requests()).isPositive();
        assertThat(paced.requests() + paced.missedSends()).isLessThanOrEqualTo(51);
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> sink.spans() == totals.acceptedSpans.sum());
        assertThat(sink.requests() * 10).isEqualTo(sink.spans());
        assertThat(sink.bytes()).isPositive();
      } finally {
        driver.close();
      }
    }
  }
}
