package io.tollgate.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.core.component.RefusedException;
import io.tollgate.core.component.TracesConsumer;
import io.tollgate.core.model.TraceBatch;
import io.tollgate.core.testing.Spans;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

  @Test
  void partsAreOnePerIdleWorkerPlusTheCallersWithNoneUnderTheMinimum() {
    assertThat(ExecutorHop.parts(100, 1)).isEqualTo(2);
    assertThat(ExecutorHop.parts(100, 0)).isEqualTo(1);
    assertThat(ExecutorHop.parts(100, 7)).isEqualTo(3); // 100 / 32: no part under 32 spans
    assertThat(ExecutorHop.parts(63, 1)).isEqualTo(1);
    assertThat(ExecutorHop.parts(64, 1)).isEqualTo(2);
    assertThat(ExecutorHop.parts(0, 3)).isEqualTo(1);
  }

  @Test
  void aLargeBatchIsCutAcrossAnIdleWorkerAndAnsweredWhenEveryPartIsAccepted() throws Exception {
    ForkJoinPool workers =
        new ForkJoinPool(2, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
    try {
      // Each part waits here until both have arrived: only parts run side by side get past it.
      CountDownLatch bothArrived = new CountDownLatch(2);
      List<TraceBatch> parts = new CopyOnWriteArrayList<>();
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      CompletableFuture<Void> secondAccepted = new CompletableFuture<>();
      ExecutorHop hop =
          new ExecutorHop(
              workers,
              b -> {
                threads.add(Thread.currentThread());
                bothArrived.countDown();
                try {
                  if (!bothArrived.await(10, TimeUnit.SECONDS)) {
                    return CompletableFuture.failedFuture(
                        new AssertionError("parts ran one by one"));
                  }
                } catch (InterruptedException e) {
                  return CompletableFuture.failedFuture(e);
                }
                // The second part to be added is accepted only when the test says so.
                synchronized (parts) {
                  parts.add(b);
                  return parts.size() == 1
                      ? CompletableFuture.completedFuture(null)
                      : secondAccepted;
                }
              },
              true,
              () -> 1);

      CompletableFuture<Void> answer =
          workers.submit(() -> hop.consume(batchOf(100)).toCompletableFuture()).get();

      await().atMost(Duration.ofSeconds(10)).until(() -> parts.size() == 2);
      assertThat(answer).isNotDone();
      secondAccepted.complete(null);
      answer.get(10, TimeUnit.SECONDS);
      assertThat(threads).hasSize(2);
      assertThat(parts).extracting(TraceBatch::spanCount).containsExactlyInAnyOrder(50, 50);
      Set<String> spanIds = new HashSet<>();
      parts.forEach(p -> p.forEachSpan(s -> spanIds.add(s.spanIdHex())));
      assertThat(spanIds).hasSize(100);
    } finally {
      workers.shutdownNow();
    }
  }

  @Test
  void aRefusedPartFailsTheWholeAnswerWithItsOwnReason() throws Exception {
    ForkJoinPool workers =
        new ForkJoinPool(2, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
    try {
      AtomicInteger calls = new AtomicInteger();
      ExecutorHop hop =
          new ExecutorHop(
              workers,
              b ->
                  calls.incrementAndGet() == 2
                      ? CompletableFuture.failedFuture(RefusedException.throttled("full", null))
                      : CompletableFuture.completedFuture(null),
              true,
              () -> 1);

      CompletableFuture<Void> answer =
          workers.submit(() -> hop.consume(batchOf(100)).toCompletableFuture()).get();

      assertThat(answer)
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(RefusedException.class);
      assertThat(calls).hasValue(2);
    } finally {
      workers.shutdownNow();
    }
  }

  @Test
  void nothingIsCutWithoutAnIdleWorkerOrWhenThePipelineOnlyForwards() throws Exception {
    ForkJoinPool one = new ForkJoinPool(1);
    ForkJoinPool two =
        new ForkJoinPool(2, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
    try {
      List<Integer> sizes = new CopyOnWriteArrayList<>();
      TracesConsumer recording =
          b -> {
            sizes.add(b.spanCount());
            return CompletableFuture.completedFuture(null);
          };
      ExecutorHop busy = new ExecutorHop(two, recording, true, () -> 0);
      two.submit(() -> busy.consume(batchOf(100)).toCompletableFuture()).get().get();
      ExecutorHop forwarding = new ExecutorHop(two, recording, false, () -> 1);
      two.submit(() -> forwarding.consume(batchOf(100)).toCompletableFuture()).get().get();
      ExecutorHop small = new ExecutorHop(two, recording, true, () -> 1);
      two.submit(() -> small.consume(batchOf(63)).toCompletableFuture()).get().get();
      // A pool of one has no worker to spare, whatever it is asked.
      ExecutorHop single = new ExecutorHop(one, recording, true);
      one.submit(() -> single.consume(batchOf(100)).toCompletableFuture()).get().get();
      assertThat(sizes).containsExactly(100, 100, 63, 100);

      // Handed over from outside the pool (a network thread), the batch is cut on the worker.
      sizes.clear();
      new ExecutorHop(two, recording, true, () -> 1)
          .consume(batchOf(100))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      assertThat(sizes).containsExactlyInAnyOrder(50, 50);
    } finally {
      one.shutdownNow();
      two.shutdownNow();
    }
  }

  private static TraceBatch batch() {
    return Spans.batch(Spans.span("s", Map.of()));
  }

  private static TraceBatch batchOf(int spans) {
    Span.Builder[] all = new Span.Builder[spans];
    for (int i = 0; i < spans; i++) {
      all[i] = Spans.span("s" + i, Map.of("i", (long) i));
    }
    return Spans.batch(all);
  }
}
