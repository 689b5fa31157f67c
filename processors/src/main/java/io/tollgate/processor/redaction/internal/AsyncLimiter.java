package io.tollgate.processor.redaction.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * At most {@code permits} asynchronous tasks at once, without a thread waiting for a permit: a task
 * that cannot start is queued and started by the completion of another. A queued task that has not
 * started within its wait limit, or that finds the queue full, fails at once, so a slow analyzer
 * turns into {@code on_error} rather than into memory.
 *
 * <p>This class is internal and is not intended for public use.
 */
public final class AsyncLimiter {

  private final int permits;
  private final int maxQueued;
  private final ScheduledExecutorService scheduler;
  private final Object lock = new Object();
  private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
  private int inFlight;

  public AsyncLimiter(int permits, int maxQueued, ScheduledExecutorService scheduler) {
    this.permits = permits;
    this.maxQueued = maxQueued;
    this.scheduler = scheduler;
  }

  private static final class Pending<T> {
    final Supplier<CompletableFuture<T>> task;
    final CompletableFuture<T> result = new CompletableFuture<>();
    final AtomicBoolean claimed = new AtomicBoolean();
    volatile ScheduledFuture<?> timer;

    Pending(Supplier<CompletableFuture<T>> task) {
      this.task = task;
    }

    boolean claim() {
      return claimed.compareAndSet(false, true);
    }
  }

  /**
   * Runs {@code task} when a permit is free.
   *
   * @param maxWait how long the task may wait for a permit before failing with {@code QUEUE_FULL}
   */
  public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task, Duration maxWait) {
    Pending<T> p = new Pending<>(task);
    boolean runNow;
    synchronized (lock) {
      if (inFlight < permits) {
        inFlight++;
        p.claim();
        runNow = true;
      } else if (queue.size() >= maxQueued) {
        p.result.completeExceptionally(
            new PresidioException(
                PresidioException.Outcome.QUEUE_FULL,
                "Presidio request queue is full (" + maxQueued + " waiting)"));
        return p.result;
      } else {
        queue.add(p);
        runNow = false;
      }
    }
    if (runNow) {
      run(p);
      return p.result;
    }
    // If a permit frees up before the timer is set, the task is already claimed and the timer
    // finds nothing to do.
    p.timer =
        scheduler.schedule(
            () -> {
              if (p.claim()) {
                synchronized (lock) {
                  queue.remove(p);
                }
                p.result.completeExceptionally(
                    new PresidioException(
                        PresidioException.Outcome.QUEUE_FULL,
                        "no free Presidio request slot within " + maxWait.toMillis() + "ms"));
              }
            },
            maxWait.toNanos(),
            TimeUnit.NANOSECONDS);
    return p.result;
  }

  private <T> void run(Pending<T> p) {
    ScheduledFuture<?> timer = p.timer;
    if (timer != null) {
      timer.cancel(false);
    }
    CompletableFuture<T> f;
    try {
      f = p.task.get();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (v, e) -> {
          release();
          if (e != null) {
            p.result.completeExceptionally(
                e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
          } else {
            p.result.complete(v);
          }
        });
  }

  private void release() {
    Pending<?> next;
    synchronized (lock) {
      while ((next = queue.poll()) != null) {
        if (next.claim()) {
          break;
        }
      }
      if (next == null) {
        inFlight--;
      }
    }
    if (next != null) {
      run(next);
    }
  }

  /** Tasks running now. */
  public int inFlight() {
    synchronized (lock) {
      return inFlight;
    }
  }

  /** Tasks waiting for a permit. */
  public int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }
}
