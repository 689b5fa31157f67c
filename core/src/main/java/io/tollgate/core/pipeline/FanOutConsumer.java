package io.tollgate.core.pipeline;

import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Hands one batch to several consumers: a receiver shared by pipelines, or a pipeline's
 * exporters.
 *
 * <p>Isolation: each consumer fails on its own. The batch counts as accepted when at least one
 * consumer accepted it; a consumer that refused has counted its own loss (an exporter's
 * {@code enqueue_failed_spans}). Only when every consumer refuses does the sender get the
 * refusal, so back-pressure still reaches clients when everything downstream is full.
 */
public final class FanOutConsumer implements TracesConsumer {

  private final List<TracesConsumer> consumers;
  private final boolean mutates;

  private FanOutConsumer(List<TracesConsumer> consumers) {
    this.consumers = List.copyOf(consumers);
    this.mutates = consumers.stream().anyMatch(TracesConsumer::mutatesData);
  }

  /** A fan-out, or the single consumer itself when there is only one. */
  public static TracesConsumer of(List<? extends TracesConsumer> consumers) {
    if (consumers.isEmpty()) {
      throw new IllegalArgumentException("a fan-out needs at least one consumer");
    }
    if (consumers.size() == 1) {
      return consumers.get(0);
    }
    return new FanOutConsumer(List.copyOf(consumers));
  }

  @Override
  public boolean mutatesData() {
    return mutates;
  }

  @Override
  public CompletionStage<Void> consume(TraceBatch batch) {
    int n = consumers.size();
    @SuppressWarnings("unchecked")
    CompletableFuture<Void>[] results = new CompletableFuture[n];
    // Read-only consumers share the original. Mutating consumers get copies, except that when
    // nobody reads the original the last mutating consumer may take it.
    boolean anyReadOnly = false;
    int lastMutating = -1;
    for (int i = 0; i < n; i++) {
      if (consumers.get(i).mutatesData()) {
        lastMutating = i;
      } else {
        anyReadOnly = true;
      }
    }
    int takesOriginal = anyReadOnly ? -1 : lastMutating;
    for (int i = 0; i < n; i++) {
      TracesConsumer c = consumers.get(i);
      if (i == takesOriginal) {
        continue;
      }
      results[i] = call(c, c.mutatesData() ? batch.copy() : batch);
    }
    if (takesOriginal >= 0) {
      results[takesOriginal] = call(consumers.get(takesOriginal), batch);
    }
    return CompletableFuture.allOf(results)
        .handle(
            (ok, err) -> {
              if (err == null) {
                return null;
              }
              Throwable first = null;
              for (CompletableFuture<Void> r : results) {
                if (!r.isCompletedExceptionally()) {
                  return null; // someone took it
                }
                if (first == null) {
                  first = failureOf(r);
                }
              }
              if (first instanceof RuntimeException) {
                throw (RuntimeException) first;
              }
              throw new CompletionException(first);
            });
  }

  /** The cause a completed-exceptionally future failed with, without the wrappers. */
  private static Throwable failureOf(CompletableFuture<Void> f) {
    return f.handle((ok, err) -> Completions.unwrap(err)).join();
  }

  private static CompletableFuture<Void> call(TracesConsumer c, TraceBatch b) {
    try {
      return c.consume(b).toCompletableFuture();
    } catch (Throwable e) { // an Error too: the other consumers' answers must still count
      return CompletableFuture.failedFuture(e);
    }
  }
}
