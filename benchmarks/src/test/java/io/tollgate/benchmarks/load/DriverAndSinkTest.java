package io.tollgate.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load loop end to end against the sink alone: what is acknowledged is what arrives. */
class DriverAndSinkTest {

  @Test
  void flatOutAndFixedRateDeliverEveryAcknowledgedSpanToTheSink(@TempDir Path dir)
      throws Exception {
    Path ackLog = dir.resolve("acks.csv");
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
        Driver.Result paced =
            driver.fixedRate(50, 8, 0, TimeUnit.MILLISECONDS.toNanos(1000), ackLog);

        assertThat(flat.spans()).isPositive().isEqualTo(flat.requests() * 10);
        assertThat(flat.latencyMicros().getTotalCount()).isEqualTo(flat.requests());
        assertThat(flat.failedRequests()).isZero();
        // 50 requests/s for 1 s: at most 50 sends (acknowledged, or skipped while 8 were busy),
        // fewer acknowledged in the window on a busy machine, but not none.
        assertThat(paced.requests()).isPositive();
        assertThat(paced.requests() + paced.missedSends()).isLessThanOrEqualTo(51);
        // One line per acknowledgement in the window, in order, its latency as in the histogram.
        List<String> lines = Files.readAllLines(ackLog);
        assertThat(lines.get(0)).isEqualTo("acknowledged_utc,latency_ms");
        assertThat(lines).hasSize((int) paced.requests() + 1);
        List<Instant> times = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
          String[] f = line.split(",");
          times.add(Instant.parse(f[0]));
          double ms = Double.parseDouble(f[1]);
          assertThat(ms).isBetween(0.0, paced.percentileMillis(100) + 0.001);
        }
        assertThat(times).isSorted();
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

  /** Refuses every second request with a retry hint of 300 ms, accepts the others. */
  private static final class RefusingEverySecond implements OtlpSender {
    private final java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public java.util.concurrent.CompletableFuture<Ack> send(byte[] body) {
      return java.util.concurrent.CompletableFuture.completedFuture(
          calls.getAndIncrement() % 2 == 0
              ? new Ack(Outcome.REFUSED, 0, "throttled", TimeUnit.MILLISECONDS.toNanos(300))
              : Ack.OK);
    }

    @Override
    public String describe() {
      return "refusing every second request";
    }

    @Override
    public void close() {}
  }

  @Test
  void aRefusedRequestWaitsForTheHintOnlyWhenAskedTo() throws Exception {
    RequestPool pool = new RequestPool(9, 4, 10);
    for (boolean honour : new boolean[] {false, true}) {
      Driver driver =
          new Driver(List.of(new RefusingEverySecond()), pool, new Driver.Totals(), honour);
      try {
        Driver.Result r = driver.flatOut(1, 0, TimeUnit.MILLISECONDS.toNanos(1000));
        assertThat(r.refused()).as("honour=%s", honour).isPositive();
        if (honour) {
          // Every accepted request waited 300 ms first: at most 4 fit in a second.
          assertThat(r.requests()).isBetween(1L, 4L);
          assertThat(r.latencyMicros().getMinValue()).isGreaterThanOrEqualTo(300_000L);
        } else {
          // 5 ms between tries: many more.
          assertThat(r.requests()).isGreaterThan(20L);
        }
      } finally {
        driver.close();
      }
    }
  }
}
