package io.tollgate.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.Spans;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ExecutorHopTest {

  @Test
  void aCallerOnTheNetworkThreadIsHandedToTheWorkers() {
    ForkJoinPool workers = new ForkJoinPool(1);
    try {
      AtomicReference<Thread> ran = new AtomicReference<>();
      ExecutorHop hop =
          new ExecutorHop(
              workers,
              b -> {
                ran.set(Thread.currentThread());
                return CompletableFuture.completedFuture(null);
              });

      hop.consume(batch()).toCompletableFuture().join();

      assertThat(ran.get()).isNotSameAs(Thread.currentThread());
    } finally {
      workers.shutdownNow();
    }
  }

  @Test
  void aCallerAlreadyOnTheWorkersIsNotHandedOffAgain() throws Exception {
    ForkJoinPool workers = new ForkJoinPool(1);
    try {
      AtomicReference<Thread> ran = new AtomicReference<>();
      AtomicReference<Thread> ranBeforeConsumeReturned = new AtomicReference<>();
      ExecutorHop hop =
          new ExecutorHop(
              workers,
              b -> {
                ran.set(Thread.currentThread());
                return CompletableFuture.completedFuture(null);
              });

      workers
          .submit(
              () -> {
                // The pool's only thread is busy here: a second hand-off could not run until
                // this task ends, so "ran before consume returned" proves there was none.
                hop.consume(batch());
                ranBeforeConsumeReturned.set(ran.get());
              })
          .get();

      assertThat(ranBeforeConsumeReturned.get()).isNotNull();
    } finally {
      workers.shutdownNow();
    }
  }

  @Test
  void anErrorThrownOnTheWorkersFailsTheAnswerInsteadOfLeavingItOpen() {
    ForkJoinPool workers = new ForkJoinPool(1);
    try {
      ExecutorHop hop =
          new ExecutorHop(
              workers,
              b -> {
                throw new StackOverflowError("deep");
              });

      CompletableFuture<Void> answer = hop.consume(batch()).toCompletableFuture();

      assertThat(answer)
          .failsWithin(java.time.Duration.ofSeconds(10))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(StackOverflowError.class);
    } finally {
      workers.shutdownNow();
    }
  }

  private static TraceBatch batch() {
    return Spans.batch(Spans.span("s", Map.of()));
  }
}
