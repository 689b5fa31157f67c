package io.tollgate.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.core.component.RefusedException;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.RecordingConsumer;
import io.tollgate.core.testing.Spans;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class FanOutConsumerTest {

  private static final class Mutating implements TracesConsumer {
    final RecordingConsumer seen = new RecordingConsumer();

    @Override
    public CompletionStage<Void> consume(TraceBatch batch) {
      batch.forEachSpan(s -> s.attributes().put("touched", "yes"));
      return seen.consume(batch);
    }
  }

  @Test
  void mutatingConsumersGetPrivateCopies() {
    Mutating first = new Mutating();
    RecordingConsumer reader = new RecordingConsumer();
    TraceBatch batch = Spans.batch(Spans.span("s", Map.of()));

    FanOutConsumer.of(List.of(first, reader)).consume(batch).toCompletableFuture().join();

    // The reader shares the original batch and must see it before any mutation reaches it.
    assertThat(reader.batches()).hasSize(1);
    assertThat(first.seen.batches().get(0)).isNotSameAs(reader.batches().get(0));
    assertThat(reader.batches().get(0).spans().get(0).attributes().contains("touched")).isFalse();
    assertThat(first.seen.spans().get(0).attributes().getString("touched")).isEqualTo("yes");
  }

  @Test
  void oneRefusalIsIsolatedButAllRefusedReachesTheSender() {
    RecordingConsumer ok = new RecordingConsumer();
    RecordingConsumer full =
        new RecordingConsumer()
            .answer(b -> CompletableFuture.failedFuture(RefusedException.throttled("full", null)));

    FanOutConsumer.of(List.of(ok, full))
        .consume(Spans.batch(Spans.span("s", Map.of())))
        .toCompletableFuture()
        .join();

    RecordingConsumer full2 =
        new RecordingConsumer()
            .answer(b -> CompletableFuture.failedFuture(RefusedException.throttled("full", null)));
    assertThatThrownBy(
            () ->
                FanOutConsumer.of(List.of(full, full2))
                    .consume(Spans.batch(Spans.span("s", Map.of())))
                    .toCompletableFuture()
                    .join())
        .hasCauseInstanceOf(RefusedException.class);
  }
}
