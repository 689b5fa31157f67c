package io.tollgate.processor.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.WireScan;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchProcessorTest {

  private final RecordingConsumer out = new RecordingConsumer();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<BatchProcessor> started = new ArrayList<>();

  @AfterEach
  void stop() {
    for (BatchProcessor p : started) {
      p.shutdown(Instant.now().plusSeconds(1));
    }
  }

  private BatchProcessor processor(String yaml) {
    BatchConfig config = ComponentConfigs.bindValid(ComponentKind.PROCESSOR, "batch", yaml);
    ComponentContext ctx =
        ComponentContext.builder(ComponentKind.PROCESSOR, ComponentId.of("batch"))
            .pipeline("traces")
            .meterRegistry(registry)
            .workers(Runnable::run)
            .build();
    BatchProcessor p = (BatchProcessor) new BatchProcessorFactory().create(config, ctx, out);
    started.add(p);
    return p;
  }

  private static TraceBatch spans(String prefix, int n) {
    Span.Builder[] spans = new Span.Builder[n];
    for (int i = 0; i < n; i++) {
      spans[i] = Spans.span(prefix + i, Map.of());
    }
    return Spans.batch(spans);
  }

  private double count(String name) {
    var c = registry.find(name).counter();
    return c == null ? 0 : c.count();
  }

  /** A batch as the OTLP receiver makes it from a valid protobuf request: still bytes. */
  private static TraceBatch encoded(String prefix, int n) {
    byte[] bytes = spans(prefix, n).toRequest().toByteArray();
    return TraceBatch.ofWire(WireScan.of(bytes));
  }

  @Test
  void encodedBatchesAreMergedAndCutWithoutBeingDecoded() {
    BatchProcessor p = processor("send_batch_size: 10\nsend_batch_max_size: 15\ntimeout: 10s");
    List<Boolean> decoded = new ArrayList<>();
    out.answer(
        b -> {
          decoded.add(b.isDecoded());
          return CompletableFuture.completedFuture(null);
        });
    p.consume(encoded("a", 7));
    p.consume(encoded("b", 13)); // 20 buffered: 15 leave (b cut on the wire); 5 stay

    assertThat(out.batches()).extracting(TraceBatch::spanCount).containsExactly(15);
    assertThat(decoded).containsExactly(false);
    p.consume(encoded("c", 6)); // 11: the trigger
    assertThat(out.batches()).extracting(TraceBatch::spanCount).containsExactly(15, 11);
    assertThat(decoded).containsExactly(false, false);
    // Nothing lost, nothing reordered, once someone does read the spans.
    List<String> expected = new ArrayList<>();
    for (String[] run : new String[][] {{"a", "7"}, {"b", "13"}, {"c", "6"}}) {
      for (int i = 0; i < Integer.parseInt(run[1]); i++) {
        expected.add(run[0] + i);
      }
    }
    assertThat(out.spans()).extracting(SpanRecord::name).containsExactlyElementsOf(expected);
  }

  @Test
  void sendsWhenTheSizeTriggerIsReachedAndAnswersUpstreamAtOnce() {
    BatchProcessor p = processor("send_batch_size: 10\ntimeout: 10s");
    assertThat(p.consume(spans("a", 4)).toCompletableFuture()).isCompleted();
    assertThat(p.consume(spans("b", 4)).toCompletableFuture()).isCompleted();
    assertThat(out.batches()).isEmpty();

    assertThat(p.consume(spans("c", 4)).toCompletableFuture()).isCompletedWithValue(null);

    assertThat(out.batches())
        .singleElement()
        .satisfies(b -> assertThat(b.spanCount()).isEqualTo(12));
    assertThat(out.spans()).extracting(SpanRecord::name).startsWith("a0").endsWith("c3");
    assertThat(count(BatchProcessor.SIZE_TRIGGER)).isEqualTo(1);
    assertThat(registry.find(BatchProcessor.SEND_SIZE).summary().totalAmount()).isEqualTo(12);
  }

  @Test
  void sendsWhatWaitedForTheTimeout() {
    BatchProcessor p = processor("send_batch_size: 1000\ntimeout: 50ms");
    p.consume(spans("a", 3));
    await().atMost(Duration.ofSeconds(5)).until(() -> out.spanCount() == 3);
    assertThat(count(BatchProcessor.TIMEOUT_TRIGGER)).isEqualTo(1);
    assertThat(count(BatchProcessor.SIZE_TRIGGER)).isZero();
  }

  @Test
  void splitsAtTheMaximumAndKeepsTheRemainderBuffered() {
    BatchProcessor p = processor("send_batch_size: 10\nsend_batch_max_size: 10\ntimeout: 10s");
    p.consume(spans("a", 25));
    assertThat(out.batches()).extracting(TraceBatch::spanCount).containsExactly(10, 10);
    // The 5 left over go with the next batch rather than alone.
    p.consume(spans("b", 5));
    assertThat(out.batches()).extracting(TraceBatch::spanCount).containsExactly(10, 10, 10);
    assertThat(out.spans().get(20).name()).isEqualTo("a20");
    assertThat(out.spans().get(29).name()).isEqualTo("b4");
  }

  @Test
  void withoutATimeoutNothingIsHeldAndRefusalsReachTheCaller() {
    BatchProcessor p = processor("timeout: 0s\nsend_batch_size: 3\nsend_batch_max_size: 3");
    out.answer(
        b ->
            CompletableFuture.failedFuture(
                RefusedException.throttled("full", Duration.ofSeconds(2))));
    CompletableFuture<Void> r = p.consume(spans("a", 7)).toCompletableFuture();
    assertThat(out.batches()).extracting(TraceBatch::spanCount).containsExactly(3, 3, 1);
    assertThatThrownBy(r::get).hasCauseInstanceOf(RefusedException.class);
  }

  @Test
  void aRefusedFlushIsCountedBecauseUpstreamWasAlreadyAnswered() {
    BatchProcessor p = processor("send_batch_size: 5\ntimeout: 10s");
    out.answer(b -> CompletableFuture.failedFuture(RefusedException.unavailable("backend down")));
    CompletableFuture<Void> r = p.consume(spans("a", 5)).toCompletableFuture();
    assertThat(r).isCompletedWithValue(null);
    assertThat(count(BatchProcessor.DOWNSTREAM_REFUSED)).isEqualTo(5);
  }

  @Test
  void refusesNewDataWhenTooMuchWaitsForASlowNextComponent() throws Exception {
    BatchProcessor p = processor("send_batch_size: 10\ntimeout: 10s");
    List<CompletableFuture<Void>> slow = new ArrayList<>();
    out.answer(
        b -> {
          CompletableFuture<Void> f = new CompletableFuture<>();
          slow.add(f);
          return f;
        });
    // 20 spans (2 × send_batch_size) sent and not yet accepted downstream.
    p.consume(spans("a", 10));
    p.consume(spans("b", 10));
    assertThat(registry.find(BatchProcessor.PENDING).gauge().value()).isEqualTo(20);

    CompletableFuture<Void> refused = p.consume(spans("c", 1)).toCompletableFuture();
    assertThatThrownBy(refused::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            RefusedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RefusedException.Reason.THROTTLED);
              assertThat(e.retryAfter()).isPresent();
            });
    assertThat(count(BatchProcessor.REFUSED)).isEqualTo(1);

    // The backend catches up: data is accepted again.
    slow.forEach(f -> f.complete(null));
    CompletionStage<Void> again = p.consume(spans("d", 1));
    assertThat(again.toCompletableFuture()).isCompletedWithValue(null);
  }

  @Test
  void shutdownSendsWhatIsBufferedAndThenPassesThrough() {
    BatchProcessor p = processor("send_batch_size: 100\ntimeout: 10s");
    p.consume(spans("a", 3));
    p.shutdown(Instant.now().plusSeconds(2));
    assertThat(out.spanCount()).isEqualTo(3);
    p.consume(spans("b", 2));
    assertThat(out.spanCount()).isEqualTo(5);
  }

  @Test
  void validation() {
    BatchConfig c = new BatchConfig(100, Duration.ofSeconds(-1), 50, -1, null);
    assertThat(ComponentConfigs.issues(c))
        .anySatisfy(i -> assertThat(i).startsWith("timeout: must be a duration of 0s or more"))
        .anySatisfy(
            i ->
                assertThat(i)
                    .isEqualTo(
                        "send_batch_max_size: must be 0 (no cap) or at least send_batch_size (100);"
                            + " got 50"))
        .anySatisfy(i -> assertThat(i).startsWith("max_pending_spans"))
        .anySatisfy(i -> assertThat(i).startsWith("send_batch_max_bytes: must be a size"));
    assertThat(BatchConfig.defaults().effectiveMaxPendingSpans()).isEqualTo(16384);
    assertThat(ComponentConfigs.issues(BatchConfig.defaults())).isEmpty();
    assertThat(ComponentConfigs.<BatchConfig>bindValid(ComponentKind.PROCESSOR, "batch", ""))
        .isEqualTo(BatchConfig.defaults());
  }
}
