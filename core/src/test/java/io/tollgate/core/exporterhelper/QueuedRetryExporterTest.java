package io.tollgate.core.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tollgate.core.component.ByteSize;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.PermanentException;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.pipeline.Completions;
import io.tollgate.core.telemetry.MetricNames;
import io.tollgate.core.testing.Spans;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class QueuedRetryExporterTest {

  private static final RetrySettings FAST =
      RetrySettings.defaults()
          .withIntervals(Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(5));

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final ComponentContext context =
      ComponentContext.builder(ComponentKind.EXPORTER, ComponentId.parse("otlp/test"))
          .meterRegistry(registry)
          .build();
  private final ScriptedSender sender = new ScriptedSender();
  private QueuedRetryExporter exporter;

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now());
    }
  }

  private QueuedRetryExporter start(QueueSettings queue, RetrySettings retry) throws Exception {
    exporter = QueuedRetryExporter.builder(context, sender).queue(queue).retry(retry).build();
    exporter.start();
    return exporter;
  }

  private QueuedRetryExporter start(Sender s, QueueSettings queue, RetrySettings retry)
      throws Exception {
    exporter = QueuedRetryExporter.builder(context, s).queue(queue).retry(retry).build();
    exporter.start();
    return exporter;
  }

  /** The encoded size of {@code batch(spans)}: every such batch has the same. */
  private static int size(int spans) {
    return batch(spans).encode().size();
  }

  private static TraceBatch batch(int spans) {
    var builders = new io.opentelemetry.proto.trace.v1.Span.Builder[spans];
    for (int i = 0; i < spans; i++) {
      builders[i] = Spans.span("chat gpt-4o", Map.of("gen_ai.request.model", "gpt-4o"));
    }
    return Spans.batch(builders);
  }

  private double counter(String name) {
    var c = registry.find(name).tag(MetricNames.EXPORTER, "otlp/test").counter();
    return c == null ? 0 : c.count();
  }

  private double gauge(String name) {
    var g = registry.find(name).tag(MetricNames.EXPORTER, "otlp/test").gauge();
    return g == null ? Double.NaN : g.value();
  }

  @Test
  void queuedBatchIsSentAndCounted() throws Exception {
    start(QueueSettings.defaults(), FAST);

    assertThat(exporter.consume(batch(3)).toCompletableFuture().join()).isNull();

    await().until(() -> counter(MetricNames.EXPORTER_SENT_SPANS) == 3);
    assertThat(sender.attempts).hasSize(1);
    assertThat(sender.attempts.get(0).request().getResourceSpans(0).getScopeSpans(0).getSpansCount())
        .isEqualTo(3);
    assertThat(gauge(MetricNames.EXPORTER_QUEUE_CAPACITY)).isEqualTo(1000);
    assertThat(gauge(MetricNames.EXPORTER_QUEUE_SIZE)).isZero();
    assertThat(counter(MetricNames.EXPORTER_SEND_FAILED_SPANS)).isZero();
  }

  @Test
  void emptyBatchIsNotSent() throws Exception {
    start(QueueSettings.defaults(), FAST);
    exporter.consume(TraceBatch.empty()).toCompletableFuture().join();
    assertThat(sender.attempts).isEmpty();
  }

  @Test
  void retryableFailuresAreRetriedUntilSuccess() throws Exception {
    sender.answerNow(n -> n <= 3 ? SendResult.retryable("503") : SendResult.success());
    start(QueueSettings.defaults(), FAST);

    exporter.consume(batch(2));

    await().until(() -> counter(MetricNames.EXPORTER_SENT_SPANS) == 2);
    assertThat(sender.attempts).hasSize(4);
    assertThat(counter(MetricNames.EXPORTER_SEND_FAILED_SPANS)).isZero();
  }

  @Test
  void outOfMemoryWhileSendingIsRetriedNotLost() throws Exception {
    // What Netty throws when a large request cannot reserve direct memory while others are in
    // flight: the request must be retried, not dropped with its delivery left unfinished.
    sender.answer(
        n -> {
          if (n <= 2) {
            throw new OutOfMemoryError("Cannot reserve 2097152 bytes of direct buffer memory");
          }
          return CompletableFuture.completedFuture(SendResult.success());
        });
    start(QueueSettings.defaults(), FAST);

    exporter.consume(batch(3));

    await().until(() -> counter(MetricNames.EXPORTER_SENT_SPANS) == 3);
    assertThat(sender.attempts).hasSize(3);
    assertThat(counter(MetricNames.EXPORTER_SEND_FAILED_SPANS)).isZero();
  }

  @Test
  void serverDelayIsHonouredWhenLongerThanTheBackoff() throws Exception {
    sender.answerNow(
        n -> n == 1 ? SendResult.retryable("429", Duration.ofMillis(300)) : SendResult.success());
    start(QueueSettings.defaults(), FAST);

    exporter.consume(batch(1));

    await().until(() -> counter(MetricNames.EXPORTER_SENT_SPANS) == 1);
    long gap = sender.attempts.get(1).nanoTime() - sender.attempts.get(0).nanoTime();
    assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void permanentFailureIsNotRetried() throws Exception {
    sender.answerNow(n -> SendResult.permanent("HTTP 400: bad span"));
    start(QueueSettings.defaults(), FAST);

    exporter.consume(batch(4));

    await().until(() -> counter(MetricNames.EXPORTER_SEND_FAILED_SPANS) == 4);
    assertThat(sender.attempts).hasSize(1);
    assertThat(counter(MetricNames.EXPORTER_SENT_SPANS)).isZero();
  }

  @Test
  void partialSuccessIsCountedAndNotRetried() throws Exception {
    sender.answerNow(n -> SendResult.partialSuccess(2, "2 spans had no name"));
    start(QueueSettings.defaults(), FAST);

    exporter.consume(batch(5));

    // Sent and rejected spans are counted one after the other: wait for both.
    await()
        .until(
            () ->
                counter(MetricNames.EXPORTER_SENT_SPANS) == 3
                    && counter(MetricNames.EXPORTER_SEND_FAILED_SPANS) == 2);
    assertThat(sender.attempts).hasSize(1);
  }

  @Test
  void givesUpAfterMaxElapsedTime() throws Exception {
    sender.answerNow(n -> SendResult.retryable("connection refused"));
    start(
        QueueSettings.defaults(),
        FAST.withIntervals(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(100)));

    exporter.consume(batch(2));

    await().until(() -> counter(MetricNames.EXPORTER_SEND_FAILED_SPANS) == 2);
    assertThat(sender.attempts.size()).isBetween(2, 20);
    int attempts = sender.attempts.size();
    // No attempt after giving up.
    await().during(Duration.ofMillis(100)).until(() -> sender.attempts.size() == attempts);
  }

  @Test
  void disabledRetrySendsOnce() throws Exception {
    sender.answerNow(n -> SendResult.retryable("503"));
    start(QueueSettings.defaults(), RetrySettings.disabled());

    exporter.consume(batch(1));

    await().until(() -> counter(MetricNames.EXPORTER_SEND_FAILED_SPANS) == 1);
    assertThat(sender.attempts).hasSize(1);
  }

  @Test
  void fullQueueRefusesWithThrottledAndCounts() throws Exception {
    CompletableFuture<SendResult> never = new CompletableFuture<>();
    sender.answer(n -> never);
    start(QueueSettings.defaults().withNumConsumers(1).withQueueSize(2), FAST);

    exporter.consume(batch(1)); // taken by the only consumer, which hangs
    await().until(() -> sender.attempts.size() == 1);
    exporter.consume(batch(1)).toCompletableFuture().join();
    exporter.consume(batch(1)).toCompletableFuture().join();

    assertThatThrownBy(() -> exporter.consume(batch(7)).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            RefusedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RefusedException.Reason.THROTTLED);
              assertThat(e.getMessage()).contains("otlp/test", "full");
            });
    assertThat(counter(MetricNames.EXPORTER_ENQUEUE_FAILED_SPANS)).isEqualTo(7);
    assertThat(gauge(MetricNames.EXPORTER_QUEUE_SIZE)).isEqualTo(2);
    assertThat(gauge(MetricNames.EXPORTER_IN_FLIGHT_REQUESTS)).isEqualTo(1);

    never.complete(SendResult.success());
    await().until(() -> counter(MetricNames.EXPORTER_SENT_SPANS) == 3);
  }

  @Test
  void atMostNumConsumersSendAtOnce() throws Exception {
    CompletableFuture<SendResult> gate = new CompletableFuture<>();
    sender.answer(n -> gate);
    start(QueueSettings.defaults().withNumConsumers(3), FAST);

    for (int i = 0; i < 10; i++) {
      exporter.consume(batch(1));
    }
    await().until(() -> sender.attempts.size() == 3);
    await().during(Duration.ofMillis(50)).until(() -> sender.attempts.size() == 3);
    assertThat(gauge(MetricNames.EXPORTER_QUEUE_SIZE)).isEqualTo(7);

    sender.answerNow(n -> SendResult.success());
    gate.complete(SendResult.success());
    await().until(() -> counter(MetricNames.EXPORTER_SENT_SPANS) == 10);
    assertThat(sender.maxConcurrent.get()).isLessThanOrEqualTo(3);
  }

  @Test
  void requestsBeyondTheByteBudgetWaitUntilBytesAreAnswered() throws Exception {
    HoldingSender holding = new HoldingSender();
    long one = size(5);
    // Room for two requests, not three; ten consumers would send all six at once.
    start(
        holding,
        QueueSettings.defaults().withMaxInFlightBytes(ByteSize.ofBytes(one * 5 / 2)),
        FAST);

    for (int i = 0; i < 6; i++) {
      exporter.consume(batch(5));
    }
    await().until(() -> holding.held.size() == 2);
    // The first one that does not fit waits for bytes; the others stay in the queue.
    await().until(() -> gauge(QueuedRetryExporter.WAITING_FOR_BYTES) == 1);
    assertThat(gauge(MetricNames.EXPORTER_QUEUE_SIZE)).isEqualTo(3);
    assertThat(gauge(QueuedRetryExporter.IN_FLIGHT_BYTES)).isEqualTo(2.0 * one);
    assertThat(gauge(QueuedRetryExporter.IN_FLIGHT_BYTES_LIMIT)).isEqualTo(one * 5 / 2);
    assertThat(gauge(MetricNames.EXPORTER_IN_FLIGHT_REQUESTS)).isEqualTo(2);

    // Each answer lets exactly one more go.
    holding.held.get(0).succeed();
    await().until(() -> holding.held.size() == 3);
    assertThat(holding.unanswered()).hasSize(2);
    for (int answered = 1; answered < 6; answered++) {
      int next = answered;
      await().until(() -> holding.held.size() >= Math.min(6, next + 2));
      holding.held.get(next).succeed();
    }

    await().until(() -> counter(MetricNames.EXPORTER_SENT_SPANS) == 30);
    assertThat(holding.held).hasSize(6);
    assertThat(holding.maxBytesAtOnce()).isEqualTo(2 * one);
    await().until(() -> gauge(QueuedRetryExporter.IN_FLIGHT_BYTES) == 0);
    assertThat(gauge(QueuedRetryExporter.WAITING_FOR_BYTES)).isZero();
  }

  @Test
  void aRequestLargerThanTheBudgetGoesAloneAndIsNotOvertaken() throws Exception {
    HoldingSender holding = new HoldingSender();
    long small = size(1);
    long large = size(40);
    long budget = small * 3;
    assertThat(large).isGreaterThan(budget);
    start(holding, QueueSettings.defaults().withMaxInFlightBytes(ByteSize.ofBytes(budget)), FAST);

    exporter.consume(batch(1));
    exporter.consume(batch(1));
    exporter.consume(batch(40));
    exporter.consume(batch(1));
    await().until(() -> holding.held.size() == 2);
    await().until(() -> gauge(QueuedRetryExporter.WAITING_FOR_BYTES) == 1);
    // The small request behind the large one would fit, but it does not overtake it.
    await().during(Duration.ofMillis(50)).until(() -> holding.held.size() == 2);

    holding.held.get(0).succeed();
    await().during(Duration.ofMillis(50)).until(() -> holding.held.size() == 2);
    holding.held.get(1).succeed();

    // Nothing else is out now: the large request goes, alone.
    await().until(() -> holding.held.size() == 3);
    assertThat(holding.held.get(2).size()).isEqualTo(large);
    await().during(Duration.ofMillis(50)).until(() -> holding.held.size() == 3);
    assertThat(holding.unanswered()).hasSize(1);

    holding.held.get(2).succeed();
    await().until(() -> holding.held.size() == 4);
    holding.held.get(3).succeed();
    await().until(() -> counter(MetricNames.EXPORTER_SENT_SPANS) == 43);
    assertThat(holding.maxBytesAtOnce()).isEqualTo(large);
  }

  @Test
  void aRequestWaitingForItsRetryHoldsNoBytes() throws Exception {
    long one = size(2);
    // The first attempt is told to come back in a minute; the budget has room for one request.
    sender.answerNow(
        n -> n == 1 ? SendResult.retryable("429", Duration.ofSeconds(60)) : SendResult.success());
    start(QueueSettings.defaults().withMaxInFlightBytes(ByteSize.ofBytes(one)), FAST);

    exporter.consume(batch(2));
    await().until(() -> sender.attempts.size() == 1);
    exporter.consume(batch(2));

    // The second request is sent and answered while the first waits for its retry.
    await().until(() -> counter(MetricNames.EXPORTER_SENT_SPANS) == 2);
    assertThat(sender.attempts).hasSize(2);
    assertThat(gauge(QueuedRetryExporter.IN_FLIGHT_BYTES)).isZero();
  }

  @Test
  void failedAttemptsGiveTheirBytesBack() throws Exception {
    // Out of memory, a sender that throws, a stage that fails: each attempt must release what it
    // reserved, or the budget of one request would never let the next one go.
    sender.answer(
        n -> {
          if (n == 1) {
            throw new OutOfMemoryError("Cannot reserve 2097152 bytes of direct buffer memory");
          }
          if (n == 2) {
            throw new IllegalStateException("bug");
          }
          if (n == 3) {
            return CompletableFuture.failedFuture(new java.io.IOException("reset"));
          }
          return CompletableFuture.completedFuture(SendResult.success());
        });
    start(QueueSettings.defaults().withMaxInFlightBytes(ByteSize.ofBytes(size(2))), FAST);

    exporter.consume(batch(2)); // attempt 1 (OOM), retried as attempt 3 (fails), then 4
    await().until(() -> sender.attempts.size() >= 1);
    exporter.consume(batch(2)); // attempt 2 (throws: dropped), or later

    await()
        .until(
            () ->
                counter(MetricNames.EXPORTER_SENT_SPANS)
                        + counter(MetricNames.EXPORTER_SEND_FAILED_SPANS)
                    == 4);
    assertThat(counter(MetricNames.EXPORTER_SENT_SPANS)).isEqualTo(2);
    assertThat(counter(MetricNames.EXPORTER_SEND_FAILED_SPANS)).isEqualTo(2);
    assertThat(gauge(QueuedRetryExporter.IN_FLIGHT_BYTES)).isZero();
    assertThat(gauge(QueuedRetryExporter.WAITING_FOR_BYTES)).isZero();
  }

  @Test
  void withoutQueueTheCallerWaitsForTheByteBudget() throws Exception {
    HoldingSender holding = new HoldingSender();
    start(
        holding,
        QueueSettings.disabled().withMaxInFlightBytes(ByteSize.ofBytes(size(3))),
        FAST);

    CompletableFuture<Void> first = exporter.consume(batch(3)).toCompletableFuture();
    CompletableFuture<Void> second = exporter.consume(batch(3)).toCompletableFuture();
    await().until(() -> holding.held.size() == 1);
    await().until(() -> gauge(QueuedRetryExporter.WAITING_FOR_BYTES) == 1);
    assertThat(second).isNotDone();

    holding.held.get(0).succeed();
    assertThat(first).succeedsWithin(Duration.ofSeconds(5));
    await().until(() -> holding.held.size() == 2);
    assertThat(second).isNotDone();
    holding.held.get(1).succeed();
    assertThat(second).succeedsWithin(Duration.ofSeconds(5));
    assertThat(holding.maxBytesAtOnce()).isEqualTo(size(3));
    assertThat(counter(MetricNames.EXPORTER_SENT_SPANS)).isEqualTo(6);
  }

  @Test
  void aZeroBudgetLeavesOnlyNumConsumers() throws Exception {
    HoldingSender holding = new HoldingSender();
    start(
        holding,
        QueueSettings.defaults().withNumConsumers(4).withMaxInFlightBytes(ByteSize.ofBytes(0)),
        FAST);

    for (int i = 0; i < 6; i++) {
      exporter.consume(batch(20));
    }
    await().until(() -> holding.held.size() == 4);
    assertThat(gauge(QueuedRetryExporter.IN_FLIGHT_BYTES)).isEqualTo(4.0 * size(20));
    assertThat(gauge(QueuedRetryExporter.IN_FLIGHT_BYTES_LIMIT)).isZero();
    holding.held.forEach(HoldingSender.Held::succeed);
    await().until(() -> holding.held.size() == 6);
    holding.held.forEach(HoldingSender.Held::succeed);
    await().until(() -> counter(MetricNames.EXPORTER_SENT_SPANS) == 120);
  }

  @Test
  void shutdownAbandonsRequestsWaitingForBytesAtTheDeadline() throws Exception {
    HoldingSender holding = new HoldingSender();
    start(
        holding, QueueSettings.defaults().withMaxInFlightBytes(ByteSize.ofBytes(size(3))), FAST);
    for (int i = 0; i < 3; i++) {
      exporter.consume(batch(3));
    }
    await().until(() -> gauge(QueuedRetryExporter.WAITING_FOR_BYTES) == 1);

    exporter.shutdown(Instant.now().plusMillis(100)); // the backend never answers

    assertThat(holding.held).hasSize(1);
    assertThat(counter(MetricNames.EXPORTER_SEND_FAILED_SPANS)).isEqualTo(9);
    assertThat(counter(MetricNames.EXPORTER_SENT_SPANS)).isZero();
    // An answer after the deadline starts nothing.
    holding.held.get(0).succeed();
    await().during(Duration.ofMillis(50)).until(() -> holding.held.size() == 1);
    exporter = null;
  }

  @Test
  void withoutQueueConsumeCompletesWhenSent() throws Exception {
    CompletableFuture<SendResult> answer = new CompletableFuture<>();
    sender.answer(n -> answer);
    start(QueueSettings.disabled(), FAST);

    CompletableFuture<Void> result = exporter.consume(batch(2)).toCompletableFuture();
    await().until(() -> sender.attempts.size() == 1);
    assertThat(result).isNotDone();

    answer.complete(SendResult.success());
    assertThat(result).succeedsWithin(Duration.ofSeconds(5));
    assertThat(counter(MetricNames.EXPORTER_SENT_SPANS)).isEqualTo(2);
    assertThat(registry.find(MetricNames.EXPORTER_QUEUE_SIZE).gauge()).isNull();
  }

  @Test
  void withoutQueueFailuresReachTheCaller() throws Exception {
    sender.answerNow(n -> n == 1 ? SendResult.permanent("HTTP 400") : SendResult.retryable("503"));
    start(
        QueueSettings.disabled(),
        FAST.withIntervals(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50)));

    assertThatThrownBy(() -> exporter.consume(batch(1)).toCompletableFuture().join())
        .cause()
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("HTTP 400");
    assertThatThrownBy(() -> exporter.consume(batch(1)).toCompletableFuture().join())
        .cause()
        .isInstanceOfSatisfying(
            RefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(RefusedException.Reason.UNAVAILABLE));
    assertThat(counter(MetricNames.EXPORTER_SEND_FAILED_SPANS)).isEqualTo(2);
  }

  @Test
  void shutdownDrainsTheQueue() throws Exception {
    // Each send takes a little while, so that batches are still queued when shutdown begins.
    sender.answer(
        n ->
            CompletableFuture.supplyAsync(
                SendResult::success, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)));
    start(QueueSettings.defaults().withNumConsumers(1), FAST);
    for (int i = 0; i < 10; i++) {
      exporter.consume(batch(1));
    }

    exporter.shutdown(Instant.now().plusSeconds(10));

    assertThat(counter(MetricNames.EXPORTER_SENT_SPANS)).isEqualTo(10);
    assertThat(sender.shutdownCalled).isTrue();
    assertThat(exporter.consume(batch(1)))
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(RefusedException.class);
    exporter = null;
  }

  @Test
  void shutdownStopsAtTheDeadlineAndCountsWhatIsLeft() throws Exception {
    sender.answer(n -> new CompletableFuture<>()); // the backend never answers
    start(QueueSettings.defaults().withNumConsumers(2), FAST);
    for (int i = 0; i < 5; i++) {
      exporter.consume(batch(3));
    }
    await().until(() -> sender.attempts.size() == 2);

    exporter.shutdown(Instant.now().plusMillis(100));

    assertThat(counter(MetricNames.EXPORTER_SEND_FAILED_SPANS)).isEqualTo(15);
    assertThat(counter(MetricNames.EXPORTER_SENT_SPANS)).isZero();
    exporter = null;
  }

  @Test
  void shutdownGivesUpRetriesThatWouldStartAfterTheDeadline() throws Exception {
    sender.answerNow(n -> SendResult.retryable("429", Duration.ofSeconds(60)));
    start(QueueSettings.defaults(), FAST);
    exporter.consume(batch(2));
    await().until(() -> sender.attempts.size() == 1);

    long started = System.nanoTime();
    exporter.shutdown(Instant.now().plusSeconds(30));

    // It did not wait for the 30 s deadline: nothing could have been sent before it.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(counter(MetricNames.EXPORTER_SEND_FAILED_SPANS)).isEqualTo(2);
    assertThat(sender.attempts).hasSize(1);
    exporter = null;
  }

  @Test
  void consumeBeforeStartIsRefused() {
    exporter = QueuedRetryExporter.builder(context, sender).build();
    assertThat(exporter.consume(batch(1)))
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(RefusedException.class);
  }

  @Test
  void aSenderThatThrowsDropsTheRequestWithoutRetrying() throws Exception {
    sender.answer(
        n -> {
          throw new IllegalStateException("bug");
        });
    start(QueueSettings.defaults(), FAST);
    exporter.consume(batch(1));
    await().until(() -> counter(MetricNames.EXPORTER_SEND_FAILED_SPANS) == 1);
    assertThat(sender.attempts).hasSize(1);
  }

  @Test
  void aStageThatFailsIsRetried() throws Exception {
    sender.answer(
        n ->
            n == 1
                ? CompletableFuture.failedFuture(new java.io.IOException("reset"))
                : Completions.done().thenApply(v -> SendResult.success()));
    start(QueueSettings.defaults(), FAST);
    exporter.consume(batch(1));
    await().until(() -> counter(MetricNames.EXPORTER_SENT_SPANS) == 1);
    assertThat(sender.attempts).hasSize(2);
  }

  @Test
  void gaugesAreRemovedAtShutdown() throws Exception {
    start(QueueSettings.defaults(), FAST);
    exporter.shutdown(Instant.now().plusSeconds(1));
    assertThat(registry.find(MetricNames.EXPORTER_QUEUE_SIZE).gauge()).isNull();
    assertThat(registry.find(MetricNames.EXPORTER_SENT_SPANS).counter()).isNotNull();
    exporter = null;
  }

  @Test
  void invalidSettingsAreRefusedByTheBuilder() {
    assertThatThrownBy(
            () ->
                QueuedRetryExporter.builder(context, sender)
                    .queue(QueueSettings.defaults().withNumConsumers(0))
                    .retry(
                        RetrySettings.defaults()
                            .withIntervals(
                                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ZERO))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sending_queue.num_consumers")
        .hasMessageContaining("retry_on_failure.max_interval");
  }
}
