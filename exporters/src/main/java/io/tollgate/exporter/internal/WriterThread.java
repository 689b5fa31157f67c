package io.tollgate.exporter.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A single daemon thread for an exporter that writes to a stream or a file. Blocking I/O (a full
 * stdout pipe, a slow disk) then stalls only this thread: the exporter's queue fills and refuses,
 * and the pipeline's shared workers keep running.
 */
public final class WriterThread {

  private WriterThread() {}

  public static ScheduledExecutorService create(String name) {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    e.setRemoveOnCancelPolicy(true);
    e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return e;
  }
}
