package io.tollgate.core.pipeline;

import io.tollgate.core.component.RefusedException;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntSupplier;

/**
 * Moves processing from the receiver's network thread onto the workers, so that a slow processor
 * never stalls the event loop that reads other clients' requests. A receiver that already decodes
 * on the workers (ours does) is not handed off a second time: when the caller runs in the workers'
 * {@link ForkJoinPool}, the batch goes straight on.
 *
 * <p>A pipeline whose processors rewrite spans (the GenAI processors: normalise, price, redact,
 * truncate) spends tens of microseconds per span, so one 100-span request keeps a worker busy for
 * milliseconds while the other workers may have nothing to do, and the sender waits for all of it.
 * When this hop was made to split, a large batch is cut into parts of at least {@value
 * #MIN_PART_SPANS} spans, one per idle worker plus the caller's, and the parts go down the pipeline
 * side by side; the answer comes when every part is accepted. Under load no worker is idle and
 * nothing is cut, so throughput pays nothing for it. A part that is refused fails the whole answer,
 * and the sender's retry sends the accepted parts again: at-least-once, as when one exporter of a
 * fan-out refuses.
 */
public final class ExecutorHop implements TracesConsumer {

  /**
   * The fewest spans a part gets. Cutting costs a few microseconds (sizes read on the wire, one
   * more batch downstream); a part of this many GenAI spans takes about a millisecond.
   */
  static final int MIN_PART_SPANS = 32;

  private final Executor executor;
  private final TracesConsumer next;
  private final boolean split;
  private final IntSupplier idleWorkers;

  /** A hop that never cuts a batch. */
  public ExecutorHop(Executor executor, TracesConsumer next) {
    this(executor, next, false);
  }

  /**
   * A hop that cuts large batches across idle workers when {@code split}: for a pipeline whose
   * processors read spans ({@link io.tollgate.core.component.Processor#readsSpans()}). A pipeline
   * that only forwards (pass-through) costs a few microseconds per request, and a cut would only
   * add work. Only a {@link ForkJoinPool} says which of its workers are idle; with any other
   * executor nothing is cut.
   */
  public ExecutorHop(Executor executor, TracesConsumer next, boolean split) {
    this(
        executor,
        next,
        split,
        executor instanceof ForkJoinPool ? () -> idleWorkers((ForkJoinPool) executor) : () -> 0);
  }

  /** With the count of idle workers from {@code idleWorkers}: the pool's own estimate races. */
  ExecutorHop(Executor executor, TracesConsumer next, boolean split, IntSupplier idleWorkers) {
    this.executor = executor;
    this.next = next;
    this.split = split && executor instanceof ForkJoinPool;
    this.idleWorkers = idleWorkers;
  }

  @Override
  public boolean mutatesData() {
    return next.mutatesData();
  }

  @Override
  public CompletionStage<Void> consume(TraceBatch batch) {
    if (executor instanceof ForkJoinPool && ForkJoinTask.getPool() == executor) {
      return split ? consumeInParts(batch) : next.consume(batch);
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            CompletionStage<Void> stage = split ? consumeInParts(batch) : consumeOrFail(batch);
            stage.whenComplete((ok, err) -> complete(result, err));
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(shuttingDown());
    }
    return result;
  }

  /** On a worker: the batch in as many parts as there are idle workers to take them. */
  private CompletionStage<Void> consumeInParts(TraceBatch batch) {
    int spans = batch.spanCount();
    int parts = parts(spans, idleWorkers.getAsInt());
    if (parts < 2) {
      return consumeOrFail(batch);
    }
    List<TraceBatch> pieces;
    try {
      pieces = batch.split((spans + parts - 1) / parts);
    } catch (RuntimeException e) {
      // Cutting is an optimisation: a batch that cannot be cut goes down whole, and the
      // processors report whatever is wrong with it.
      return consumeOrFail(batch);
    }
    CompletableFuture<?>[] answers = new CompletableFuture<?>[pieces.size()];
    for (int i = 1; i < pieces.size(); i++) {
      TraceBatch piece = pieces.get(i);
      CompletableFuture<Void> answer = new CompletableFuture<>();
      answers[i] = answer;
      try {
        // Forked from a worker, the part waits in this worker's queue, where an idle worker
        // steals it; if none does, this worker runs it when it is done with the first part.
        ForkJoinTask.adapt(
                () -> consumeOrFail(piece).whenComplete((ok, err) -> complete(answer, err)))
            .fork();
      } catch (RejectedExecutionException e) {
        answer.completeExceptionally(shuttingDown());
      }
    }
    answers[0] = consumeOrFail(pieces.get(0)).toCompletableFuture();
    CompletableFuture<Void> result = new CompletableFuture<>();
    CompletableFuture.allOf(answers).whenComplete((ok, err) -> complete(result, err));
    return result;
  }

  /**
   * How many parts: one for the caller and one per idle worker, no part under {@link
   * #MIN_PART_SPANS} spans; 1 means do not cut.
   */
  static int parts(int spans, int idleWorkers) {
    return Math.max(1, Math.min(idleWorkers + 1, spans / MIN_PART_SPANS));
  }

  /**
   * Workers with nothing to do, as the pool estimates it: none while requests wait to be picked up,
   * so a busy pipeline is never cut.
   */
  private static int idleWorkers(ForkJoinPool pool) {
    if (pool.hasQueuedSubmissions() || pool.getQueuedTaskCount() > 0) {
      return 0;
    }
    return Math.max(0, pool.getParallelism() - pool.getActiveThreadCount());
  }

  private CompletionStage<Void> consumeOrFail(TraceBatch batch) {
    try {
      return next.consume(batch);
    } catch (Throwable e) {
      // An Error too (a StackOverflowError in a processor, a linkage error): the sender
      // gets an answer instead of waiting for its deadline.
      return CompletableFuture.failedFuture(e);
    }
  }

  private static void complete(CompletableFuture<Void> result, Throwable err) {
    if (err != null) {
      result.completeExceptionally(Completions.unwrap(err));
    } else {
      result.complete(null);
    }
  }

  private static RefusedException shuttingDown() {
    return RefusedException.unavailable("the collector is shutting down");
  }
}
