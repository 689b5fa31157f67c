package io.tollgate.core.pipeline;

import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * Moves processing from the receiver's network thread onto the workers, so that a slow
 * processor never stalls the event loop that reads other clients' requests. A receiver that
 * already decodes on the workers (ours does) is not handed off a second time: when the caller
 * runs in the workers' {@link ForkJoinPool}, the batch goes straight on.
 */
public final class ExecutorHop implements TracesConsumer {

  private final Executor executor;
  private final TracesConsumer next;

  public ExecutorHop(Executor executor, TracesConsumer next) {
    this.executor = executor;
    this.next = next;
  }

  @Override
  public boolean mutatesData() {
    return next.mutatesData();
  }

  @Override
  public CompletionStage<Void> consume(TraceBatch batch) {
    if (executor instanceof ForkJoinPool && ForkJoinTask.getPool() == executor) {
      return next.consume(batch);
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            try {
              next.consume(batch)
                  .whenComplete(
                      (ok, err) -> {
                        if (err != null) {
                          result.completeExceptionally(Completions.unwrap(err));
                        } else {
                          result.complete(null);
                        }
                      });
            } catch (Throwable e) {
              // An Error too (a StackOverflowError in a processor, a linkage error): the sender
              // gets an answer instead of waiting for its deadline.
              result.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          io.tollgate.core.component.RefusedException.unavailable("the collector is shutting down"));
    }
    return result;
  }
}
