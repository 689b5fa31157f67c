package io.tollgate.processor.batch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.config.testing.ComponentConfigs;
import io.tollgate.core.component.ComponentContext;
import io.tollgate.core.component.ComponentId;
import io.tollgate.core.component.ComponentKind;
import io.tollgate.core.model.SpanRecord;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.model.WireScan;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code send_batch_max_bytes}: the byte cap and byte trigger of the batch processor. */
class BatchMaxBytesTest {

  private final RecordingConsumer out = new RecordingConsumer();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<BatchProcessor> started = new ArrayList<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(BatchProcessor.class);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  BatchMaxBytesTest() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void stop() {
    for (BatchProcessor p : started) {
      p.shutdown(Instant.now().plusSeconds(1));
    }
    logger.detachAppender(logs);
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

  private double count(String name) {
    var c = registry.find(name).counter();
    return c == null ? 0 : c.count();
  }

  /** An LLM call span with a prompt of {@code promptBytes} characters. */
  private static Span.Builder llmSpan(String name, int promptBytes) {
    String prompt = ("You are a helpful assistant. " + name + " ").repeat(promptBytes / 30 + 1);
    return Spans.span(
        name,
        Map.of(
            "gen_ai.operation.name", "chat",
            "gen_ai.request.model", "gpt-4o",
            "gen_ai.input.messages",
                "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\""
                    + prompt.substring(0, promptBytes)
                    + "\"}]}]"));
  }

  /** What the OTLP receiver makes of a request: still bytes. */
  private static TraceBatch encoded(String prefix, int n, int promptBytes) {
    Span.Builder[] spans = new Span.Builder[n];
    for (int i = 0; i < n; i++) {
      spans[i] = llmSpan(prefix + i, promptBytes);
    }
    return TraceBatch.ofWire(WireScan.of(Spans.batch(spans).toRequest().toByteArray()));
  }

  private static List<String> names(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  @Test
  void theByteCapCutsAndTriggersWithoutDecoding() {
    BatchProcessor p =
        processor("send_batch_size: 8192\ntimeout: 10m\nsend_batch_max_bytes: 16KiB");
    List<Boolean> decoded = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    out.answer(
        b -> {
          decoded.add(b.isDecoded());
          sizes.add(b.serializedSize());
          return CompletableFuture.completedFuture(null);
        });

    p.consume(encoded("a", 3, 3000)); // ~9 KiB: below both triggers, stays buffered
    assertThat(out.batches()).isEmpty();
    p.consume(encoded("b", 4, 3000)); // ~21 KiB: the byte trigger sends, long before the timeout
    assertThat(out.batches()).isNotEmpty();
    assertThat(count(BatchProcessor.BYTES_TRIGGER)).isEqualTo(1);
    assertThat(count(BatchProcessor.SIZE_TRIGGER)).isZero();
    p.consume(encoded("c", 10, 3000));
    p.shutdown(Instant.now().plusSeconds(2));

    assertThat(sizes).isNotEmpty().allMatch(s -> s <= 16 * 1024);
    assertThat(out.batches()).allMatch(b -> b.spanCount() > 1); // pieces are filled, not single
    assertThat(decoded).containsOnly(false);
    List<String> expected = new ArrayList<>(names("a", 3));
    expected.addAll(names("b", 4));
    expected.addAll(names("c", 10));
    assertThat(out.spans()).extracting(SpanRecord::name).containsExactlyElementsOf(expected);
    assertThat(count(BatchProcessor.OVERSIZED)).isZero();
    var bytes = registry.find(BatchProcessor.SEND_SIZE_BYTES).summary();
    assertThat(bytes.count()).isEqualTo(out.batches().size());
    assertThat(bytes.max()).isLessThanOrEqualTo(16 * 1024);
    assertThat(bytes.totalAmount()).isEqualTo(sizes.stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void decodedBatchesAreCutToo() {
    BatchProcessor p = processor("send_batch_size: 8192\ntimeout: 10m\nsend_batch_max_bytes: 8KiB");
    Span.Builder[] spans = new Span.Builder[12];
    for (int i = 0; i < spans.length; i++) {
      spans[i] = llmSpan("d" + i, 1500);
    }
    p.consume(Spans.batch(spans));
    assertThat(out.batches()).isNotEmpty();
    p.shutdown(Instant.now().plusSeconds(2));
    assertThat(out.batches()).allMatch(b -> b.serializedSize() <= 8 * 1024);
    assertThat(out.spans()).extracting(SpanRecord::name).containsExactlyElementsOf(names("d", 12));
  }

  @Test
  void aSpanOverTheCapGoesAloneWithAWarning() {
    BatchProcessor p = processor("timeout: 10m\nsend_batch_max_bytes: 4KiB");
    TraceBatch batch = encoded("s", 2, 500);
    batch.addAll(encoded("big", 1, 20_000));
    batch.addAll(encoded("t", 2, 500));
    p.consume(batch);
    p.shutdown(Instant.now().plusSeconds(2));

    assertThat(out.batches()).extracting(TraceBatch::spanCount).containsExactly(2, 1, 2);
    assertThat(out.batches().get(1).serializedSize()).isGreaterThan(20_000);
    assertThat(out.spans())
        .extracting(SpanRecord::name)
        .containsExactly("s0", "s1", "big0", "t0", "t1");
    assertThat(count(BatchProcessor.OVERSIZED)).isEqualTo(1);
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getFormattedMessage())
                    .contains("send_batch_max_bytes (4096 bytes)")
                    .doesNotContain("You are a helpful assistant"));
  }

  @Test
  void zeroMeansNoByteCap() {
    BatchProcessor p = processor("send_batch_size: 20\ntimeout: 10m\nsend_batch_max_bytes: 0");
    p.consume(encoded("a", 19, 3000)); // ~57 KiB, 19 spans: no trigger without a byte cap
    assertThat(out.batches()).isEmpty();
    p.consume(encoded("b", 1, 3000));
    assertThat(out.batches())
        .singleElement()
        .satisfies(b -> assertThat(b.spanCount()).isEqualTo(20));
    assertThat(count(BatchProcessor.BYTES_TRIGGER)).isZero();
    assertThat(count(BatchProcessor.SIZE_TRIGGER)).isEqualTo(1);
  }

  @Test
  void bothCapsApplyAndTimeoutZeroPassesThroughCut() {
    BatchProcessor p =
        processor(
            "timeout: 0s\nsend_batch_size: 3\nsend_batch_max_size: 3\nsend_batch_max_bytes: 10KiB");
    assertThat(p.consume(encoded("a", 10, 3000)).toCompletableFuture()).isCompleted();
    assertThat(out.batches()).allMatch(b -> b.spanCount() <= 3 && b.serializedSize() <= 10240);
    assertThat(out.batches()).extracting(TraceBatch::spanCount).containsExactly(3, 3, 3, 1);
    BatchProcessor q =
        processor(
            "timeout: 0s\nsend_batch_size: 3\nsend_batch_max_size: 3\nsend_batch_max_bytes: 7KiB");
    out.clear();
    q.consume(encoded("b", 5, 3000));
    assertThat(out.batches()).extracting(TraceBatch::spanCount).containsExactly(2, 2, 1);
  }

  @Test
  void configBindingDefaultsAndValidation() {
    BatchConfig defaults = ComponentConfigs.bindValid(ComponentKind.PROCESSOR, "batch", "");
    assertThat(defaults.sendBatchMaxBytes().bytes()).isEqualTo(4L * 1024 * 1024);
    BatchConfig set =
        ComponentConfigs.bindValid(ComponentKind.PROCESSOR, "batch", "send_batch_max_bytes: 1MiB");
    assertThat(set.maxBytes()).isEqualTo(1024 * 1024);
    BatchConfig off =
        ComponentConfigs.bindValid(ComponentKind.PROCESSOR, "batch", "send_batch_max_bytes: 0");
    assertThat(off.maxBytes()).isZero();
    assertThat(
            ComponentConfigs.problems(ComponentKind.PROCESSOR, "batch", "send_batch_max_bytes: -1"))
        .singleElement()
        .satisfies(m -> assertThat(m).contains("send_batch_max_bytes").contains("got -1"));
    assertThat(
            ComponentConfigs.problems(
                ComponentKind.PROCESSOR, "batch", "send_batch_max_bytes: lots"))
        .singleElement()
        .satisfies(m -> assertThat(m).contains("send_batch_max_bytes").contains("4MiB"));
  }
}
