package io.tollgate.core.component;

import io.tollgate.core.model.TraceBatch;
import java.util.concurrent.CompletionStage;

/**
 * Something that takes spans: a processor, an exporter, or a fan-out to several.
 *
 * <p>The returned stage completes when the batch has been <em>accepted</em> downstream: queued by
 * every exporter it reaches, or buffered by a processor that holds data (batch, tail sampling).
 * It fails with a {@link RefusedException} when the pipeline cannot take more right now (the
 * receiver answers the client with the OTLP throttling response) or with a
 * {@link PermanentException} when the data is bad and must not be retried.
 *
 * <p>Implementations must not block the calling thread for I/O; remote work (Presidio, a backend)
 * completes the stage later.
 */
@FunctionalInterface
public interface TracesConsumer {

  /** Takes ownership of {@code batch}; the caller must not touch it afterwards. */
  CompletionStage<Void> consume(io.tollgate.core.model.TraceBatch batch);

  /**
   * Whether this consumer changes the batches it is given. A fan-out gives a private copy to each
   * consumer that does, except the last one.
   */
  default boolean mutatesData() {
    return true;
  }

  /** A consumer that accepts and discards everything. */
  static TracesConsumer discarding() {
    return new TracesConsumer() {
      @Override
      public CompletionStage<Void> consume(TraceBatch batch) {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
      }

      @Override
      public boolean mutatesData() {
        return false;
      }
    };
  }
}
