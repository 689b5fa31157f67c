package io.tollgate.core.component;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Process-wide default threads, used when a context is built without explicit ones (tests, the
 * benchmarks). The collector passes its own.
 */
final class SharedThreads {

  private SharedThreads() {}

  private static final class Holder {
    static final ScheduledExecutorService SCHEDULER = newScheduler("tollgate-timer");
  }

  static ScheduledExecutorService scheduler() {
    return Holder.SCHEDULER;
  }

  static Executor workers() {
    return ForkJoinPool.commonPool();
  }

  /** A daemon scheduler whose cancelled tasks do not pile up. */
  static ScheduledExecutorService newScheduler(String name) {
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    s.setRemoveOnCancelPolicy(true);
    return s;
  }
}
